import type { Issue } from './schema.js';

/**
 * Whether a change feed search ordered `updated DESC` may stop paging: this page reached an issue
 * changed before `since`, so every later page holds older changes only. An issue changed while the
 * pages are read moves to the front, past the pages read; it is newer than the pass start, so the next
 * pass finds it. (Ordered oldest first, such a move would shift an unread issue onto a page already read.)
 */
export function reachedBefore(page: readonly Issue[], since: Date | undefined): boolean {
  if (since === undefined) return false;
  return page.some((issue) => changedBefore(issue, since));
}

/**
 * What the pages of a newest-first search hold, as the feed reads it: changes at or after `since` only
 * (the JQL's relative date is whole minutes wide), each issue once, oldest change first. An issue read
 * twice (a change while paging shifted it) keeps its newer copy; on a tie the later read.
 */
export function oldestFirst(pages: readonly Issue[], since: Date | null): Issue[] {
  const byKey = new Map<string, Issue>();
  for (const issue of pages) {
    const kept = byKey.get(issue.key);
    if (kept && changedAt(kept) > changedAt(issue)) continue;
    byKey.delete(issue.key);
    byKey.set(issue.key, issue);
  }
  const wanted = [...byKey.values()].filter((issue) => since === null || !changedBefore(issue, since));
  return wanted.reverse();
}

/** An `updated` Jira sent that cannot be read counts as recent: the feed keeps what it cannot place. */
function changedBefore(issue: Issue, since: Date): boolean {
  return changedAt(issue) < since.getTime();
}

function changedAt(issue: Issue): number {
  const at = Date.parse(issue.fields.updated);
  return Number.isNaN(at) ? Number.POSITIVE_INFINITY : at;
}
