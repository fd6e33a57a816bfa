import { hasMarker } from './adf.js';
import type { JiraDialect } from './dialect.js';
import { type JiraCall, parseBody } from './jira-call.js';
import { CommentPage } from './schema.js';
import type { CommentBody } from './ticket.js';

const PAGE_SIZE = 100;
const LIST_OP = 'GET /issue/{key}/comment';

type FetchPage = (startAt: number) => Promise<CommentPage>;

/** Whether any comment on the ticket carries the marker; reads every page, newest first. */
export async function hasMarkedComment(dialect: JiraDialect, call: JiraCall, key: string, marker: string): Promise<boolean> {
  return scanForMarker(
    (startAt) => call.read(LIST_OP, { key, startAt }, CommentPage, () => dialect.getComments(key, startAt, PAGE_SIZE)),
    marker,
  );
}

/**
 * Posts the comment unless one with its marker exists. A retried POST first looks again: the failed
 * attempt may have landed (a timeout after Jira stored it), and the comment must not appear twice.
 */
export async function addCommentOnce(dialect: JiraDialect, call: JiraCall, key: string, comment: CommentBody): Promise<boolean> {
  if (await hasMarkedComment(dialect, call, key, comment.marker)) return false;
  return postComment(dialect, call, key, comment);
}

/** The look a retry makes inside its own attempt: raw reads, no retries of their own. */
export function markedCommentExists(dialect: JiraDialect, key: string, marker: string): Promise<boolean> {
  return scanForMarker(async (startAt) => parseBody(LIST_OP, CommentPage, await dialect.getComments(key, startAt, PAGE_SIZE)), marker);
}

/** Posts without the first look (the caller has just made it); retries still look again. */
export async function postComment(dialect: JiraDialect, call: JiraCall, key: string, comment: CommentBody): Promise<boolean> {
  return call.run('POST /issue/{key}/comment', { key, marker: comment.marker }, async (attempt) => {
    if (attempt > 1 && (await markedCommentExists(dialect, key, comment.marker))) return false;
    await dialect.addComment(key, comment);
    return true;
  });
}

async function scanForMarker(fetchPage: FetchPage, marker: string): Promise<boolean> {
  let startAt = 0;
  for (;;) {
    const page = await fetchPage(startAt);
    if (page.comments.some((comment) => hasMarker(comment.body, marker))) return true;
    startAt = page.startAt + page.comments.length;
    if (page.comments.length === 0 || startAt >= page.total) return false;
  }
}
