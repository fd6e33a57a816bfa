import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { commentToAdf, markerText } from '../../src/jira/adf.js';
import type { CommentBody } from '../../src/jira/ticket.js';
import { useNock } from '../support/nock.js';
import { adfDoc, harness, JIRA } from './helpers.js';

const ISSUE = '/rest/api/3/issue/SCR-1';
const TRANSITIONS = `${ISSUE}/transitions`;
const COMMENTS = `${ISSUE}/comment`;
const comment: CommentBody = { marker: 'done:SCR-1:1', paragraphs: [[{ text: 'Run finished.', strong: true }]] };
const fields = { runStatus: 'success', platformRunId: 'RUN-2025-01-05-0001' };
/** The comment POST body, as plain JSON for nock's matcher. */
const posted = JSON.parse(JSON.stringify({ body: commentToAdf(comment) })) as nock.DataMatcherMap;
const written = { customfield_run_status: { value: 'success' }, customfield_run_id: 'RUN-2025-01-05-0001' };

function transition(id: string, to: string, screen: string[] = []) {
  return {
    id,
    name: `Go ${to}`,
    to: { id: `s${id}`, name: to },
    hasScreen: screen.length > 0,
    fields: Object.fromEntries(screen.map((field) => [field, { required: false, name: field, operations: ['set'] }])),
  };
}

/** A Jira that is in `status` and offers these transitions. */
function jira(status: string, transitions: unknown[]) {
  return nock(JIRA)
    .get(ISSUE)
    .query({ fields: 'status' })
    .reply(200, { id: '10001', key: 'SCR-1', fields: { status: { name: status } } })
    .get(TRANSITIONS)
    .query({ expand: 'transitions.fields' })
    .reply(200, { transitions });
}

function noComments(scope: nock.Scope): nock.Scope {
  return scope.get(COMMENTS).query(true).reply(200, { startAt: 0, maxResults: 100, total: 0, comments: [] });
}

function order(scope: nock.Scope): string[] {
  const seen: string[] = [];
  scope.on('request', (req: { method: string; path: string }) => seen.push(`${req.method} ${req.path.split('?')[0] ?? ''}`));
  return seen;
}

useNock();

describe('transitionTo', () => {
  it('bundles fields and comment into the one transition request when the screen takes both', async () => {
    const { gateway } = harness();
    let body: unknown;
    const scope = noComments(
      jira('In Progress', [transition('11', 'Cancelled'), transition('31', 'Completed', ['customfield_run_status', 'customfield_run_id', 'comment'])]),
    )
      .post(TRANSITIONS, (sent) => ((body = sent), true))
      .reply(204);

    const outcome = await gateway.transitionTo('SCR-1', 'completed', { fields, comment });

    scope.done();
    expect(outcome).toEqual({ kind: 'moved', transitionId: '31', bundled: true });
    expect(body).toEqual({
      transition: { id: '31' },
      fields: written,
      update: { comment: [{ add: { body: commentToAdf(comment) } }] },
    });
  });

  it('sends the comment with an edit before the move when the screen has no Comment field, so the move is the last write', async () => {
    const { gateway } = harness();
    let body: unknown;
    const scope = jira('In Progress', [transition('31', 'Completed', ['customfield_run_status', 'customfield_run_id'])]);
    noComments(scope)
      .put(ISSUE, { fields: {}, update: { comment: [{ add: posted }] } })
      .reply(204)
      .post(TRANSITIONS, (sent) => ((body = sent), true))
      .reply(204);
    const seen = order(scope);

    const outcome = await gateway.transitionTo('SCR-1', 'Completed', { fields, comment });

    scope.done();
    expect(outcome).toEqual({ kind: 'moved', transitionId: '31', bundled: true });
    expect(body).toEqual({ transition: { id: '31' }, fields: written });
    expect(seen.slice(2)).toEqual([`GET ${COMMENTS}`, `PUT ${ISSUE}`, `POST ${TRANSITIONS}`]);
  });

  it('does not look through the comments when the caller knows the comment cannot be there yet', async () => {
    const { gateway } = harness();
    const scope = jira('In Progress', [transition('31', 'Completed', ['customfield_run_status', 'customfield_run_id', 'comment'])])
      .post(TRANSITIONS, { transition: { id: '31' }, fields: written, update: { comment: [{ add: posted }] } })
      .reply(204);

    const outcome = await gateway.transitionTo('SCR-1', 'Completed', { fields, comment, knownAbsent: true });

    scope.done();
    expect(outcome).toEqual({ kind: 'moved', transitionId: '31', bundled: true });
  });

  it('looks transitions up once per project and status in a pass, and reads a ticket\'s own when Jira refuses the shared one', async () => {
    const { gateway } = harness();
    const cache = new Map();
    const scope = nock(JIRA)
      .get(TRANSITIONS)
      .query({ expand: 'transitions.fields' })
      .reply(200, { transitions: [transition('41', 'Failed - Needs Investigation')] })
      .post(TRANSITIONS, { transition: { id: '41' } })
      .reply(204)
      .post('/rest/api/3/issue/SCR-2/transitions', { transition: { id: '41' } })
      .reply(204)
      .post('/rest/api/3/issue/SCR-3/transitions', { transition: { id: '41' } })
      .reply(400, { errorMessages: ["Transition id '41' is not valid for this issue."], errors: {} })
      .get('/rest/api/3/issue/SCR-3/transitions')
      .query({ expand: 'transitions.fields' })
      .reply(200, { transitions: [transition('77', 'Failed - Needs Investigation')] })
      .post('/rest/api/3/issue/SCR-3/transitions', { transition: { id: '77' } })
      .reply(204);
    const options = { fromStatus: 'Ready to Run', knownAbsent: true, cache };

    const outcomes = [
      await gateway.transitionTo('SCR-1', 'Failed - Needs Investigation', options),
      await gateway.transitionTo('SCR-2', 'Failed - Needs Investigation', options),
      await gateway.transitionTo('SCR-3', 'Failed - Needs Investigation', options),
    ];

    scope.done();
    expect(outcomes.map((o) => (o.kind === 'moved' ? o.transitionId : o.kind))).toEqual(['41', '41', '77']);
  });

  it('sets fields by an edit before a bare transition when the screen takes none', async () => {
    const { gateway } = harness();
    let body: unknown;
    const scope = jira('In Progress', [transition('41', 'Failed - Needs Investigation')])
      .put(ISSUE, { fields: written })
      .reply(204)
      .post(TRANSITIONS, (sent) => ((body = sent), true))
      .reply(204);
    const seen = order(scope);

    const outcome = await gateway.transitionTo('SCR-1', 'Failed - Needs Investigation', { fields });

    scope.done();
    expect(outcome).toEqual({ kind: 'moved', transitionId: '41', bundled: false });
    expect(body).toEqual({ transition: { id: '41' } });
    expect(seen.slice(2)).toEqual([`PUT ${ISSUE}`, `POST ${TRANSITIONS}`]);
  });

  it('falls back to an edit and a bare transition when Jira says a field is not on the screen', async () => {
    const { gateway } = harness();
    const bodies: unknown[] = [];
    const record = (sent: unknown) => (bodies.push(sent), true);
    const notOnScreen = {
      errorMessages: [],
      errors: { customfield_run_status: "Field 'customfield_run_status' cannot be set. It is not on the appropriate screen, or unknown." },
    };
    const scope = noComments(jira('In Progress', [transition('31', 'Completed', ['customfield_run_status', 'customfield_run_id', 'comment'])]))
      .post(TRANSITIONS, record)
      .reply(400, notOnScreen)
      .put(ISSUE, { fields: written, update: { comment: [{ add: posted }] } })
      .reply(204)
      .post(TRANSITIONS, record)
      .reply(204);

    const outcome = await gateway.transitionTo('SCR-1', 'Completed', { fields, comment });

    scope.done();
    expect(outcome).toEqual({ kind: 'moved', transitionId: '31', bundled: false });
    expect(bodies[1]).toEqual({ transition: { id: '31' } });
  });

  it('does not send a comment whose marker is already on the ticket', async () => {
    const { gateway } = harness();
    let body: unknown;
    const scope = jira('In Progress', [transition('31', 'Completed', ['comment'])])
      .get(COMMENTS)
      .query(true)
      .reply(200, { startAt: 0, maxResults: 100, total: 1, comments: [{ id: '5', body: adfDoc([markerText(comment.marker)]) }] })
      .post(TRANSITIONS, (sent) => ((body = sent), true))
      .reply(204);

    const outcome = await gateway.transitionTo('SCR-1', 'Completed', { comment });

    scope.done();
    expect(outcome).toEqual({ kind: 'moved', transitionId: '31', bundled: false });
    expect(body).toEqual({ transition: { id: '31' } });
  });

  it('answers no-transition with the reachable target statuses, writing nothing', async () => {
    const { gateway } = harness();
    const scope = jira('Ready to Run', [transition('21', 'In Progress'), transition('11', 'Cancelled'), transition('12', 'Cancelled')]);

    const outcome = await gateway.transitionTo('SCR-1', 'Completed', { fields, comment });

    scope.done();
    expect(outcome).toEqual({ kind: 'no-transition', available: ['In Progress', 'Cancelled'] });
  });

  it('answers already-there for a ticket in the status, still applying fields and comment', async () => {
    const { gateway } = harness();
    const scope = nock(JIRA)
      .get(ISSUE)
      .query({ fields: 'status' })
      .reply(200, { fields: { status: { name: 'Completed' } } });
    noComments(scope).put(ISSUE, { fields: written, update: { comment: [{ add: posted }] } }).reply(204);

    const outcome = await gateway.transitionTo('SCR-1', 'Completed', { fields, comment });

    scope.done();
    expect(outcome).toEqual({ kind: 'already-there' });
  });

  it('does not move twice when the answer to a transition was lost but the move happened', async () => {
    const { gateway, clock } = harness();
    const scope = jira('In Progress', [transition('31', 'Completed')])
      .post(TRANSITIONS)
      .reply(502)
      .get(ISSUE)
      .query({ fields: 'status' })
      .reply(200, { fields: { status: { name: 'Completed' } } });

    const outcome = await gateway.transitionTo('SCR-1', 'Completed');

    scope.done();
    expect(outcome).toEqual({ kind: 'moved', transitionId: '31', bundled: false });
    expect(clock.sleeps).toEqual([2000]);
  });
});
