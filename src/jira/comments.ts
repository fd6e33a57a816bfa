import type { Version3Client } from 'jira.js';
import { commentToAdf, hasMarker } from './adf.js';
import { type JiraCall, parseBody } from './jira-call.js';
import { CommentPage } from './schema.js';
import type { CommentBody } from './ticket.js';

const PAGE_SIZE = 100;
const LIST_OP = 'GET /issue/{key}/comment';

type FetchPage = (startAt: number) => Promise<CommentPage>;

/** Whether any comment on the ticket carries the marker; reads every page, newest first. */
export async function hasMarkedComment(client: Version3Client, call: JiraCall, key: string, marker: string): Promise<boolean> {
  return scanForMarker(
    (startAt) => call.read(LIST_OP, { key, startAt }, CommentPage, () => listPage(client, key, startAt)),
    marker,
  );
}

/**
 * Posts the comment unless one with its marker exists. A retried POST first looks again: the failed
 * attempt may have landed (a timeout after Jira stored it), and the comment must not appear twice.
 */
export async function addCommentOnce(client: Version3Client, call: JiraCall, key: string, comment: CommentBody): Promise<boolean> {
  if (await hasMarkedComment(client, call, key, comment.marker)) return false;
  return postComment(client, call, key, comment);
}

/** Posts without the first look (the caller has just made it); retries still look again. */
export async function postComment(client: Version3Client, call: JiraCall, key: string, comment: CommentBody): Promise<boolean> {
  const fetchRaw: FetchPage = async (startAt) => parseBody(LIST_OP, CommentPage, await listPage(client, key, startAt));
  return call.run('POST /issue/{key}/comment', { key, marker: comment.marker }, async (attempt) => {
    if (attempt > 1 && (await scanForMarker(fetchRaw, comment.marker))) return false;
    await client.issueComments.addComment<unknown>({ issueIdOrKey: key, comment: commentToAdf(comment) });
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

function listPage(client: Version3Client, key: string, startAt: number): Promise<unknown> {
  return client.issueComments.getComments<unknown>({ issueIdOrKey: key, startAt, maxResults: PAGE_SIZE, orderBy: '-created' });
}
