import type { CloudClient } from './lean-client.js';
import type { JiraCall } from './jira-call.js';
import { ChangelogPage, type History, type Issue } from './schema.js';
import { isChangelogTruncated, newestReadyEntry } from './to-ticket.js';

const PAGE_SIZE = 100;

/**
 * The issue with a changelog that holds its newest move into Ready. When the embedded changelog is
 * truncated, the full changelog (oldest first) is read backwards from its last page until one is found.
 */
export async function completeChangelog(
  client: CloudClient,
  call: JiraCall,
  issue: Issue,
  readyStatus: string,
): Promise<Issue> {
  let total = issue.changelog?.total ?? 0;
  if (issue.changelog === undefined) {
    // A server that ignored expand=changelog: learn the changelog's length from its first page.
    const first = await readPage(client, call, issue.key, 0, PAGE_SIZE);
    if (first.total <= first.values.length) return withHistories(issue, first.values);
    total = first.total;
  } else if (!isChangelogTruncated(issue.changelog)) {
    return issue;
  }
  const histories = await readUntilReady(client, call, issue.key, total, readyStatus);
  return withHistories(issue, histories);
}

function withHistories(issue: Issue, histories: History[]): Issue {
  return { ...issue, changelog: { startAt: 0, maxResults: histories.length, total: histories.length, histories } };
}

async function readUntilReady(
  client: CloudClient,
  call: JiraCall,
  key: string,
  total: number,
  readyStatus: string,
): Promise<History[]> {
  const read: History[] = [];
  let size = PAGE_SIZE;
  let end = total;
  while (end > 0) {
    const startAt = Math.max(0, end - size);
    const page = await readPage(client, call, key, startAt, size);
    if (page.values.length === 0) break;
    const reachedEnd = startAt + page.values.length >= Math.min(end, page.total);
    if (!reachedEnd && page.maxResults > 0 && page.maxResults < size) {
      // Jira caps the page size below what was asked: read the tail again with its size.
      size = page.maxResults;
      continue;
    }
    read.push(...page.values);
    if (newestReadyEntry(page.values, readyStatus) !== undefined) break;
    end = startAt;
  }
  return read;
}

function readPage(client: CloudClient, call: JiraCall, key: string, startAt: number, maxResults: number): Promise<ChangelogPage> {
  return call.read('GET /issue/{key}/changelog', { key, startAt }, ChangelogPage, () =>
    client.issues.getChangeLogs<unknown>({ issueIdOrKey: key, startAt, maxResults }),
  );
}
