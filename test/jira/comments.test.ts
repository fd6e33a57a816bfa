import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { commentToAdf, markerText } from '../../src/jira/adf.js';
import type { CommentBody } from '../../src/jira/ticket.js';
import { useNock } from '../support/nock.js';
import { adfDoc, harness, JIRA } from './helpers.js';

const COMMENTS = '/rest/api/3/issue/SCR-1/comment';
const comment: CommentBody = {
  marker: 'trigger:SCR-1:1',
  paragraphs: [[{ text: 'DAG run ' }, { text: 'jira__SCR-1__1', code: true }, { text: ' triggered.' }]],
};

function commentsPage(startAt: number, total: number, bodies: unknown[]) {
  return { startAt, maxResults: 100, total, comments: bodies.map((body, index) => ({ id: String(startAt + index), body })) };
}

useNock();

describe('addComment', () => {
  it('does not post when a comment on a later page already carries the marker', async () => {
    const { gateway } = harness();
    const others = Array.from({ length: 100 }, (_, index) => adfDoc([`comment ${index}`]));
    const scope = nock(JIRA)
      .get(COMMENTS)
      .query({ startAt: '0', maxResults: '100', orderBy: '-created' })
      .reply(200, commentsPage(0, 101, others))
      .get(COMMENTS)
      .query({ startAt: '100', maxResults: '100', orderBy: '-created' })
      .reply(200, commentsPage(100, 101, [adfDoc(['Earlier text', markerText(comment.marker)])]));

    expect(await gateway.addComment('SCR-1', comment)).toBe(false);

    scope.done();
  });

  it('posts the ADF comment with its marker when none carries it', async () => {
    const { gateway } = harness();
    let posted: unknown;
    const scope = nock(JIRA)
      .get(COMMENTS)
      .query(true)
      .reply(200, commentsPage(0, 1, [adfDoc([markerText('trigger:SCR-1:12')])]))
      .post(COMMENTS, (body) => ((posted = body), true))
      .reply(201, { id: '10', body: {} });

    expect(await gateway.addComment('SCR-1', comment)).toBe(true);

    scope.done();
    expect(posted).toEqual({ body: commentToAdf(comment) });
    expect(JSON.stringify(posted)).toContain('jira-airflow-reconciler ref trigger:SCR-1:1"');
  });

  it('looks again before retrying a failed post, so a comment that landed is not posted twice', async () => {
    const { gateway, clock } = harness();
    const scope = nock(JIRA)
      .get(COMMENTS)
      .query(true)
      .reply(200, commentsPage(0, 0, []))
      .post(COMMENTS)
      .reply(504)
      .get(COMMENTS)
      .query(true)
      .reply(200, commentsPage(0, 1, [commentToAdf(comment)]));

    expect(await gateway.addComment('SCR-1', comment)).toBe(false);

    scope.done();
    expect(clock.sleeps).toEqual([2000]);
  });
});
