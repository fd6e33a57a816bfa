import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { useNock } from '../support/nock.js';
import type { CommentBody } from '../../src/jira/ticket.js';
import { harness, JIRA } from './helpers.js';

const COMMENTS = '/rest/api/3/issue/SCR-1/comment';
const comment: CommentBody = { marker: 'started:jira__SCR-1__1', paragraphs: [[{ text: 'Airflow run started.' }]] };

useNock();

describe('addComment for a comment known to be absent', () => {
  it('posts at once, without reading the comments first', async () => {
    const { gateway } = harness();
    const scope = nock(JIRA).post(COMMENTS).reply(201, { id: '10', body: {} });

    expect(await gateway.addComment('SCR-1', comment, { knownAbsent: true })).toBe(true);

    scope.done();
  });

  it('still looks before a retry, so a post that landed is not repeated', async () => {
    const { gateway } = harness();
    const scope = nock(JIRA)
      .post(COMMENTS)
      .reply(504, {})
      .get(COMMENTS)
      .query(true)
      .reply(200, { startAt: 0, maxResults: 100, total: 0, comments: [] })
      .post(COMMENTS)
      .reply(201, { id: '11', body: {} });

    expect(await gateway.addComment('SCR-1', comment, { knownAbsent: true })).toBe(true);

    scope.done();
  });
});
