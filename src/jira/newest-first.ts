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
 * (the JQL's relative date is whole minutes wide), each issue once as last read, oldest change first.
 */
export function oldestFirst(pages: readonly Issue[], since: Date | null): Issue[] {
  const byKey = new Map<string, Issue>();
  for (const issue of pages) {
    // A later page read it later: that copy is the newer.
    byKey.delete(issue.key);
    if (since === null || !changedBefore(issue, since)) byKey.set(issue.key, issue);
  }
  return [...byKey.values()].reverse();
}

/** An `updated` Jira sent that cannot be read counts as recent: the feed keeps what it cannot place. */
function changedBefore(issue: Issue, since: Date): boolean {
  const at = Date.parse(issue.fields.updated);
  return !Number.isNaN(at) && at < since.getTime();
}
