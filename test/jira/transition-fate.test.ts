import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { commentToAdf } from '../../src/jira/adf.js';
import type { CommentBody } from '../../src/jira/ticket.js';
import { useNock } from '../support/nock.js';
import { harness, JIRA, type RawHistory } from './helpers.js';

const ISSUE = '/rest/api/3/issue/SCR-1';
const TRANSITIONS = `${ISSUE}/transitions`;
const COMMENTS = `${ISSUE}/comment`;
const MYSELF = '/rest/api/3/myself';
const US = { accountId: '712020:bot', displayName: 'bot' };
const PERSON = { accountId: '5b10a2844c20165700ede21g', displayName: 'Pat Person' };
const comment: CommentBody = { marker: 'finished:jira__SCR-1__100', paragraphs: [[{ text: 'Run finished.' }]] };
const fields = { runStatus: 'success' };
const screen = { customfield_run_status: { required: false }, comment: { required: false } };
/** The comment as an edit's `update.comment`, plain JSON for nock's matcher. */
const edited = JSON.parse(JSON.stringify({ fields: { customfield_run_status: { value: 'success' } }, update: { comment: [{ add: { body: commentToAdf(comment) } }] } })) as nock.DataMatcherMap;
const toCompleted = { id: '31', name: 'Finish', to: { name: 'Completed' }, fields: screen };

function entry(id: string, second: number, author: object, to: string): RawHistory & { author: object } {
  return { id, created: `2025-01-05T10:00:${String(second).padStart(2, '0')}.000+0000`, author, items: [{ field: 'status', fromString: null, toString: to }] };
}

const REQUEST = entry('100', 0, PERSON, 'Ready to Run');

/** GET issue?expand=changelog: the ticket's status and its whole changelog. */
function changelog(scope: nock.Scope, status: string, histories: object[], issue = ISSUE): nock.Scope {
  return scope
    .get(issue)
    .query((query) => query.expand === 'changelog')
    .reply(200, {
      id: '10001',
      key: issue.split('/').at(-1),
      fields: { status: { name: status }, updated: '2025-01-05T10:00:30.000+0000', created: '2025-01-04T09:00:00.000+0000' },
      changelog: { startAt: 0, maxResults: histories.length, total: histories.length, histories },
    });
}

function sentOnce(scope: nock.Scope): nock.Scope {
  return scope
    .get(TRANSITIONS)
    .query({ expand: 'transitions.fields' })
    .reply(200, { transitions: [toCompleted] })
    .post(TRANSITIONS)
    .replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
}

useNock();

describe('a final move whose answer was lost, retried in the same call', () => {
  const options = { fields, comment, fromStatus: 'Ready to Run', knownAbsent: true, requestId: '100' };

  it('is not sent again when the changelog shows our move landed, though a person has since moved the ticket back to Ready to Run', async () => {
    const { gateway } = harness();
    const scope = changelog(sentOnce(nock(JIRA)), 'Ready to Run', [REQUEST, entry('101', 5, US, 'Completed'), entry('102', 6, PERSON, 'Ready to Run')])
      .get(MYSELF)
      .reply(200, US);

    const outcome = await gateway.transitionTo('SCR-1', 'Completed', options);

    scope.done();
    expect(outcome).toEqual({ kind: 'landed' });
  });

  it('leaves a ticket a person moved back to Ready to Run alone when our move had not landed', async () => {
    const { gateway } = harness();
    const histories = [REQUEST, entry('101', 5, PERSON, 'Cancelled'), entry('102', 6, PERSON, 'Ready to Run')];
    const scope = changelog(sentOnce(nock(JIRA)), 'Ready to Run', histories).get(MYSELF).reply(200, US);

    const outcome = await gateway.transitionTo('SCR-1', 'Completed', options);

    scope.done();
    expect(outcome).toEqual({ kind: 'superseded', requestId: '102' });
  });

  it('is sent again when the move did not land and the ticket still stands for the request', async () => {
    const { gateway } = harness();
    const scope = changelog(sentOnce(nock(JIRA)), 'Ready to Run', [REQUEST]).get(MYSELF).reply(200, US).post(TRANSITIONS).reply(204);

    const outcome = await gateway.transitionTo('SCR-1', 'Completed', options);

    scope.done();
    expect(outcome).toEqual({ kind: 'moved', transitionId: '31', bundled: true });
  });

  it('writes the fields and comment by an edit when someone else moved the ticket to the status meanwhile', async () => {
    const { gateway } = harness();
    const scope = changelog(sentOnce(nock(JIRA)), 'Completed', [REQUEST, entry('101', 5, PERSON, 'Completed')])
      .get(MYSELF)
      .reply(200, US)
      .get(COMMENTS)
      .query(true)
      .reply(200, { startAt: 0, maxResults: 100, total: 0, comments: [] })
      .put(ISSUE, edited)
      .reply(204);

    const outcome = await gateway.transitionTo('SCR-1', 'Completed', options);

    scope.done();
    expect(outcome).toEqual({ kind: 'already-there' });
  });
});

describe('the move to the running status, its answer lost', () => {
  it("is not sent again over a person's cancel made after it landed", async () => {
    const { gateway } = harness();
    const toRunning = { id: '21', name: 'Start', to: { name: 'Running' }, fields: screen };
    const scope = nock(JIRA)
      .get(TRANSITIONS)
      .query({ expand: 'transitions.fields' })
      .reply(200, { transitions: [toRunning] })
      .post(TRANSITIONS)
      .replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    changelog(scope, 'Cancelled', [REQUEST, entry('101', 5, US, 'Running'), entry('102', 6, PERSON, 'Cancelled')]).get(MYSELF).reply(200, US);

    const outcome = await gateway.transitionTo('SCR-1', 'Running', { fields, comment, fromStatus: 'Ready to Run', knownAbsent: true, requestId: '100' });

    scope.done();
    expect(outcome).toEqual({ kind: 'landed' });
  });
});

describe('a final move an earlier pass or process may have sent (unconfirmed)', () => {
  const options = { fields, comment, fromStatus: 'Ready to Run', requestId: '100', unconfirmed: true };

  it('reads the changelog first and sends nothing when our move landed', async () => {
    const { gateway } = harness();
    const scope = changelog(nock(JIRA), 'Ready to Run', [REQUEST, entry('101', 5, US, 'Completed'), entry('102', 6, PERSON, 'Ready to Run')]).get(MYSELF).reply(200, US);

    const outcome = await gateway.transitionTo('SCR-1', 'Completed', options);

    scope.done();
    expect(outcome).toEqual({ kind: 'landed' });
  });

  it('writes nothing to a ticket that stands for a newer request', async () => {
    const { gateway } = harness();
    const scope = changelog(nock(JIRA), 'Ready to Run', [REQUEST, entry('101', 5, PERSON, 'To Do'), entry('102', 6, PERSON, 'Ready to Run')]).get(MYSELF).reply(200, US);

    const outcome = await gateway.transitionTo('SCR-1', 'Completed', options);

    scope.done();
    expect(outcome).toEqual({ kind: 'superseded', requestId: '102' });
  });

  it('moves from the status it read when the move never landed, looking for the comment first; asks who we are once', async () => {
    const { gateway } = harness();
    const second = '/rest/api/3/issue/SCR-2';
    let scope = changelog(nock(JIRA), 'Ready to Run', [REQUEST]).get(MYSELF).reply(200, US);
    scope = changelog(scope, 'Completed', [REQUEST, entry('101', 5, US, 'Completed')], second);
    scope = scope
      .get(TRANSITIONS)
      .query({ expand: 'transitions.fields' })
      .reply(200, { transitions: [toCompleted] })
      .get(COMMENTS)
      .query(true)
      .reply(200, { startAt: 0, maxResults: 100, total: 0, comments: [] })
      .post(TRANSITIONS)
      .reply(204);

    const outcomes = [await gateway.transitionTo('SCR-1', 'Completed', options), await gateway.transitionTo('SCR-2', 'Completed', options)];

    scope.done();
    expect(outcomes).toEqual([{ kind: 'moved', transitionId: '31', bundled: true }, { kind: 'landed' }]);
  });

  it('Data Center: our entries are those by our user name and key', async () => {
    const { gateway } = harness({ secrets: { jiraPat: 'dc-pat' } });
    const dcIssue = '/rest/api/2/issue/SCR-1';
    const bot = { name: 'bot', key: 'JIRAUSER10000', displayName: 'bot' };
    const person = { name: 'pat', key: 'JIRAUSER10001', displayName: 'Pat' };
    const histories = [{ ...REQUEST, author: person }, entry('101', 5, bot, 'Completed'), entry('102', 6, person, 'Ready to Run')];
    const scope = changelog(nock(JIRA), 'Ready to Run', histories, dcIssue).get('/rest/api/2/myself').reply(200, bot);

    const outcome = await gateway.transitionTo('SCR-1', 'Completed', options);

    scope.done();
    expect(outcome).toEqual({ kind: 'landed' });
  });
});
