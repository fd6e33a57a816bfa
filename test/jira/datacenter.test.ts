import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { markerText } from '../../src/jira/adf.js';
import type { CommentBody } from '../../src/jira/ticket.js';
import { useNock } from '../support/nock.js';
import { failure, harness, JIRA, rawIssue, READ_FIELDS, statusChange } from './helpers.js';

const PAT = 'dc-pat-7731';
const BEARER = `Bearer ${PAT}`;
const SEARCH = '/rest/api/2/search';
const ISSUE = '/rest/api/2/issue/SCR-1';
const COMMENTS = `${ISSUE}/comment`;
const TRANSITIONS = `${ISSUE}/transitions`;
/** A Data Center multi-line text field arrives as a plain string, not ADF. */
const PARAMS = '{"since": "2025-01-01"}';

const comment: CommentBody = {
  marker: 'started:jira__SCR-1__1',
  paragraphs: [
    [{ text: 'Airflow run started. ', strong: true }, { text: 'DAG ' }, { text: 'scraper_quebec', code: true }, { text: ' [staging].' }],
    [{ text: 'Follow it in Airflow: ' }, { text: 'https://airflow.example.com/r/1', href: 'https://airflow.example.com/r/1' }],
  ],
};
/** The comment as the wiki-markup plain text Data Center stores, marker on the last line. */
const WIKI =
  '*Airflow run started.* DAG {{scraper\\_quebec}} \\[staging\\].\n\n' +
  'Follow it in Airflow: [https://airflow.example.com/r/1|https://airflow.example.com/r/1]\n\n' +
  'jira-airflow-reconciler ref started:jira__SCR-1__1';

interface SearchBody {
  jql: string;
  fields: string[];
  expand: unknown;
  startAt: number;
  maxResults: number;
}

function dcHarness(options: { pageSize?: number } = {}) {
  return harness({ secrets: { jiraPat: PAT }, ...options });
}

function dcIssue(key: string, options: Parameters<typeof rawIssue>[1] = {}) {
  return rawIssue(key, { ...options, fields: { customfield_params: PARAMS, ...options.fields } });
}

function jira(): nock.Scope {
  return nock(JIRA, { reqheaders: { authorization: BEARER } });
}

function commentsPage(bodies: string[]) {
  return { startAt: 0, maxResults: 100, total: bodies.length, comments: bodies.map((body, index) => ({ id: String(index + 1), body })) };
}

useNock();

describe('Jira Data Center (JIRA_PAT): search', () => {
  it('pages POST /rest/api/2/search by startAt until total, with the bearer token; newest change first, handed on oldest first', async () => {
    const { gateway } = dcHarness({ pageSize: 2 });
    const bodies: SearchBody[] = [];
    const record = (body: SearchBody) => (bodies.push(body), true);
    const ready = statusChange('71', '2025-01-05T10:00:00.000+0000', 'Open', 'Ready to Run');
    const scope = jira()
      .post(SEARCH, record)
      .reply(200, { startAt: 0, maxResults: 2, total: 3, issues: [dcIssue('SCR-3'), dcIssue('SCR-2')] })
      .post(SEARCH, record)
      .reply(200, { startAt: 2, maxResults: 2, total: 3, issues: [dcIssue('SCR-1', { histories: [ready] })] });

    const tickets = await gateway.searchReady({ updatedSince: null });

    scope.done();
    expect(tickets.map((ticket) => ticket.key)).toEqual(['SCR-1', 'SCR-2', 'SCR-3']);
    expect(tickets[0]).toMatchObject({ requestId: '71', paramsText: PARAMS, source: 'alfabeta' });
    expect(bodies.map((body) => body.startAt)).toEqual([0, 2]);
    expect(bodies[0]).toEqual({
      jql: 'project in ("SCR", "OPS") AND status = "Ready to Run" ORDER BY updated DESC',
      fields: READ_FIELDS,
      expand: ['changelog'],
      startAt: 0,
      maxResults: 2,
    });
  });

  it('a change feed stops paging by startAt at the page that reaches a change before its exact instant', async () => {
    const { gateway } = dcHarness({ pageSize: 2 });
    const at = (time: string) => ({ fields: { updated: `2025-01-05T${time}.000+0000` } });
    const bodies: SearchBody[] = [];
    const scope = jira()
      .post(SEARCH, (body: SearchBody) => (bodies.push(body), true))
      .reply(200, { startAt: 0, maxResults: 2, total: 40, issues: [dcIssue('SCR-4', at('11:59:40')), dcIssue('SCR-3', at('11:58:59'))] });

    const tickets = await gateway.searchReady({ updatedSince: new Date('2025-01-05T11:59:00.000Z') });

    scope.done();
    expect(bodies.map((body) => [body.startAt, body.jql])).toEqual([[0, 'project in ("SCR", "OPS") AND status = "Ready to Run" AND updated >= -2m ORDER BY updated DESC']]);
    expect(tickets.map((ticket) => ticket.key)).toEqual(['SCR-4']);
  });

  it('reads an issue whose embedded changelog was cut short again, for its whole changelog', async () => {
    const { gateway } = dcHarness();
    const ready = statusChange('90', '2025-01-05T11:00:00.000+0000', 'Open', 'Ready to Run');
    const scope = jira()
      .post(SEARCH)
      .reply(200, { startAt: 0, maxResults: 50, total: 1, issues: [dcIssue('SCR-1', { histories: [], total: 1 })] })
      .get(ISSUE)
      .query({ fields: 'status', expand: 'changelog' })
      .reply(200, dcIssue('SCR-1', { histories: [ready] }));

    const [ticket] = await gateway.searchReady({ updatedSince: null });

    scope.done();
    expect(ticket?.requestId).toBe('90');
  });
});

describe('Jira Data Center (JIRA_PAT): reads', () => {
  it('getTicket reads GET /rest/api/2/issue/{key} with the fields and the changelog', async () => {
    const { gateway } = dcHarness();
    const ready = statusChange('55', '2025-01-05T08:00:00.000+0000', 'Open', 'Ready to Run');
    const scope = jira()
      .get(ISSUE)
      .query({ fields: READ_FIELDS.join(','), expand: 'changelog' })
      .reply(200, dcIssue('SCR-1', { histories: [ready], fields: { customfield_run_status: { value: 'queued' } } }));

    const ticket = await gateway.getTicket('SCR-1');

    scope.done();
    expect(ticket).toMatchObject({ key: 'SCR-1', requestId: '55', paramsText: PARAMS, runStatus: 'queued' });
  });

  it('getTickets reads each issue directly (no index search to lag behind writes) and leaves out unknown keys', async () => {
    const { gateway } = dcHarness();
    const scope = jira()
      .get(ISSUE)
      .query(true)
      .reply(200, dcIssue('SCR-1'))
      .get('/rest/api/2/issue/SCR-9')
      .query(true)
      .reply(404, { errorMessages: ['Issue Does Not Exist'] });

    const tickets = await gateway.getTickets(['SCR-1', 'SCR-9', 'SCR-1']);

    scope.done();
    expect(tickets.map((ticket) => ticket.key)).toEqual(['SCR-1']);
  });

  it('a 401 for the personal access token is an auth error, not retried', async () => {
    const { gateway, clock } = dcHarness();
    const scope = jira().post(SEARCH).reply(401, { errorMessages: ['You are not authenticated.'] });

    const error = await failure(gateway.searchReady({ updatedSince: null }));

    scope.done();
    expect(error.kind).toBe('auth');
    expect(error.status).toBe(401);
    expect(clock.sleeps).toEqual([]);
  });
});

describe('Jira Data Center (JIRA_PAT): writes', () => {
  it('updateFields edits by PUT /rest/api/2/issue/{key}: selects as {value}, text as strings', async () => {
    const { gateway } = dcHarness();
    let sent: unknown;
    const scope = jira()
      .put(ISSUE, (body) => ((sent = body), true))
      .reply(204);

    await gateway.updateFields('SCR-1', { airflowRunId: 'jira__SCR-1__1', runStatus: 'queued' });

    scope.done();
    expect(sent).toEqual({ fields: { customfield_airflow_run_id: 'jira__SCR-1__1', customfield_run_status: { value: 'queued' } } });
  });

  it('addComment posts a plain-text (wiki markup) body ending with the marker line', async () => {
    const { gateway } = dcHarness();
    let sent: unknown;
    const scope = jira()
      .get(COMMENTS)
      .query({ startAt: '0', maxResults: '100', orderBy: '-created' })
      .reply(200, commentsPage(['Someone else\njira-airflow-reconciler ref started:jira__SCR-1__10']))
      .post(COMMENTS, (body) => ((sent = body), true))
      .reply(201, { id: '9', body: WIKI });

    expect(await gateway.addComment('SCR-1', comment)).toBe(true);

    scope.done();
    expect(sent).toEqual({ body: WIKI });
  });

  it('addComment does not post when a plain-text comment already has the marker line', async () => {
    const { gateway } = dcHarness();
    const scope = jira()
      .get(COMMENTS)
      .query(true)
      .reply(200, commentsPage(['An edited note', `Run started.\r\n\r\n  ${markerText(comment.marker)}  `]));

    expect(await gateway.addComment('SCR-1', comment)).toBe(false);

    scope.done();
  });

  it('transitionTo bundles the screen fields and a plain-text comment into POST /rest/api/2/issue/{key}/transitions', async () => {
    const { gateway } = dcHarness();
    let sent: unknown;
    const screen = { customfield_run_status: { required: false }, customfield_run_id: { required: false }, comment: { required: false } };
    const scope = jira()
      .get(TRANSITIONS)
      .query({ expand: 'transitions.fields' })
      .reply(200, { transitions: [{ id: '31', name: 'Finish', to: { id: '6', name: 'Completed' }, fields: screen }] })
      .get(COMMENTS)
      .query(true)
      .reply(200, commentsPage([]))
      .post(TRANSITIONS, (body) => ((sent = body), true))
      .reply(204);

    const outcome = await gateway.transitionTo('SCR-1', 'Completed', {
      fromStatus: 'Ready to Run',
      fields: { runStatus: 'success', platformRunId: 'RUN-2025-01-05-0001' },
      comment,
    });

    scope.done();
    expect(outcome).toEqual({ kind: 'moved', transitionId: '31', bundled: true });
    expect(sent).toEqual({
      transition: { id: '31' },
      fields: { customfield_run_status: { value: 'success' }, customfield_run_id: 'RUN-2025-01-05-0001' },
      update: { comment: [{ add: { body: WIKI } }] },
    });
  });
});
