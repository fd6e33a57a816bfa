import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { useNock } from '../support/nock.js';
import {
  BASIC,
  connectionReset,
  failure,
  harness,
  JIRA,
  page,
  rawIssue,
  READ_FIELDS,
  SEARCH,
  type SearchBody,
  SECRETS,
  statusChange,
} from './helpers.js';

useNock();

describe('searchReady', () => {
  it('searches the Ready status of the projects since the cursor, with basic auth and only the fields it reads', async () => {
    const { gateway, clock, observed } = harness();
    let body: SearchBody | undefined;
    const scope = nock(JIRA, { reqheaders: { authorization: BASIC } })
      .post(SEARCH, (sent: SearchBody) => ((body = sent), true))
      .reply(200, page([rawIssue('SCR-1', { id: '10001' })]));

    const tickets = await gateway.searchReady({ updatedSince: new Date('2025-01-05T11:50:30.000Z') });

    scope.done();
    expect(body?.jql).toBe('project in ("SCR", "OPS") AND status = "Ready to Run" AND updated >= -11m ORDER BY updated DESC');
    expect(body?.fields).toEqual(READ_FIELDS);
    expect(body?.expand).toBe('changelog');
    expect(body?.maxResults).toBe(50);
    expect(tickets.map((ticket) => [ticket.key, ticket.id, ticket.source, ticket.requestId])).toEqual([
      ['SCR-1', '10001', 'alfabeta', 'created'],
    ]);
    expect(clock.sleeps).toEqual([]);
    expect(observed).toEqual(['200']);
  });

  it('follows nextPageToken across three pages until isLast; newest change first, handed on oldest first', async () => {
    const { gateway } = harness({ pageSize: 2 });
    const tokens: (string | undefined)[] = [];
    const record = (sent: SearchBody) => (tokens.push(sent.nextPageToken), true);
    const scope = nock(JIRA)
      .post(SEARCH, record)
      .reply(200, page([rawIssue('SCR-5'), rawIssue('SCR-4')], 'page-2'))
      .post(SEARCH, record)
      .reply(200, page([rawIssue('SCR-3'), rawIssue('SCR-2')], 'page-3'))
      .post(SEARCH, record)
      .reply(200, page([rawIssue('SCR-1')]));

    const tickets = await gateway.searchReady({ updatedSince: null });

    scope.done();
    expect(tokens).toEqual([undefined, 'page-2', 'page-3']);
    expect(tickets.map((ticket) => ticket.key)).toEqual(['SCR-1', 'SCR-2', 'SCR-3', 'SCR-4', 'SCR-5']);
  });

  it('a change feed stops paging at the page that reaches a change before its exact instant, and hands on only the newer ones', async () => {
    const { gateway } = harness({ pageSize: 2 });
    const at = (time: string) => ({ fields: { updated: `2025-01-05T${time}.000+0000` } });
    const scope = nock(JIRA)
      .post(SEARCH)
      .reply(200, page([rawIssue('SCR-4', at('11:59:40')), rawIssue('SCR-3', at('11:59:10'))], 'page-2'))
      .post(SEARCH)
      .reply(200, page([rawIssue('SCR-2', at('11:59:00')), rawIssue('SCR-1', at('11:58:20'))], 'page-3'));

    // The relative date is whole minutes wide (-2m matches all four); the pages stop at 11:59:00.
    const tickets = await gateway.searchReady({ updatedSince: new Date('2025-01-05T11:59:00.000Z') });

    scope.done(); // no third page asked for
    expect(tickets.map((ticket) => ticket.key)).toEqual(['SCR-2', 'SCR-3', 'SCR-4']);
  });

  it('reads the end of a truncated changelog to find the newest move into Ready', async () => {
    const { gateway } = harness();
    const old = statusChange('10', '2025-01-01T10:00:00.000+0000', 'Open', 'Ready to Run');
    const scope = nock(JIRA)
      .post(SEARCH)
      .reply(200, page([rawIssue('SCR-1', { histories: [old], total: 150 })]))
      .get('/rest/api/3/issue/SCR-1/changelog')
      .query({ startAt: '50', maxResults: '100' })
      .reply(200, {
        startAt: 50,
        maxResults: 100,
        total: 150,
        values: [statusChange('900', '2025-01-04T10:00:00.000+0000', 'Ready to Run', 'In Progress')],
      })
      .get('/rest/api/3/issue/SCR-1/changelog')
      .query({ startAt: '0', maxResults: '100' })
      .reply(200, {
        startAt: 0,
        maxResults: 100,
        total: 150,
        values: [old, statusChange('700', '2025-01-03T10:00:00.000+0000', 'Completed', 'Ready to Run')],
      });

    const [ticket] = await gateway.searchReady({ updatedSince: null });

    scope.done();
    expect(ticket?.requestId).toBe('700');
    expect(ticket?.requestedAt).toBe('2025-01-03T10:00:00.000Z');
  });

  it('never uses the legacy search: a 410 from /search/jql is `gone`, not retried', async () => {
    const { gateway, clock } = harness();
    const paths: string[] = [];
    const scope = nock(JIRA)
      .post(SEARCH)
      .reply(function () {
        paths.push(this.req.path);
        return [410, { errorMessages: ['The requested API has been removed.'] }];
      });

    const error = await failure(gateway.searchReady({ updatedSince: null }));

    scope.done();
    expect(paths).toEqual([SEARCH]);
    expect(error.kind).toBe('gone');
    expect(clock.sleeps).toEqual([]);
  });

  it('names Jira errorMessages and errors in a 400', async () => {
    const { gateway } = harness();
    const scope = nock(JIRA)
      .post(SEARCH)
      .reply(400, { errorMessages: ["Field 'customfield_source' does not exist."], errors: { jql: 'bad query' } });

    const error = await failure(gateway.searchReady({ updatedSince: null }));

    scope.done();
    expect(error.kind).toBe('bad_request');
    expect(error.status).toBe(400);
    expect(error.message).toContain("Field 'customfield_source' does not exist.");
    expect(error.message).toContain('jql: bad query');
  });

  it.each([401, 403])('does not retry a %i and keeps secrets out of the logs', async (status) => {
    const { gateway, clock, logs } = harness();
    const scope = nock(JIRA).post(SEARCH).reply(status, { errorMessages: ['You are not authorized.'] });

    const error = await failure(gateway.searchReady({ updatedSince: null }));

    scope.done();
    expect(error.kind).toBe('auth');
    expect(clock.sleeps).toEqual([]);
    expect(logs()).toContain('You are not authorized.');
    expect(logs()).not.toContain(SECRETS.jiraApiToken);
    expect(logs()).not.toContain(BASIC.slice(6));
    expect(logs().toLowerCase()).not.toContain('authorization');
  });

  it('waits the Retry-After of a 429, then succeeds', async () => {
    const { gateway, clock, observed } = harness();
    const scope = nock(JIRA)
      .post(SEARCH)
      .reply(429, { errorMessages: ['Rate limit exceeded.'] }, { 'Retry-After': '7' })
      .post(SEARCH)
      .reply(200, page([rawIssue('SCR-1')]));

    const tickets = await gateway.searchReady({ updatedSince: null });

    scope.done();
    expect(clock.sleeps).toEqual([7000]);
    expect(tickets).toHaveLength(1);
    expect(observed).toEqual(['429', '200']);
  });

  it('retries 5xx with backoff, then succeeds', async () => {
    const { gateway, clock } = harness();
    const scope = nock(JIRA).post(SEARCH).reply(503).post(SEARCH).reply(502).post(SEARCH).reply(200, page([]));

    expect(await gateway.searchReady({ updatedSince: null })).toEqual([]);

    scope.done();
    expect(clock.sleeps).toEqual([2000, 4000]);
  });

  it('gives up on 5xx after the configured retries with a transient error', async () => {
    const { gateway, clock } = harness({ retries: 2 });
    const scope = nock(JIRA).post(SEARCH).times(3).reply(500, { errorMessages: ['Internal server error'] });

    const error = await failure(gateway.searchReady({ updatedSince: null }));

    scope.done();
    expect(error.kind).toBe('transient');
    expect(error.status).toBe(500);
    expect(clock.sleeps).toEqual([2000, 4000]);
  });

  it('refuses a body that is not a search result as bad_response, naming the field', async () => {
    const { gateway, clock } = harness();
    const broken = { ...rawIssue('SCR-1'), fields: { updated: 'x', created: 'y' } };
    const scope = nock(JIRA).post(SEARCH).reply(200, page([broken]));

    const error = await failure(gateway.searchReady({ updatedSince: null }));

    scope.done();
    expect(error.kind).toBe('bad_response');
    expect(error.message).toContain('issues.0.fields.status');
    expect(clock.sleeps).toEqual([]);
  });

  it('treats a connection reset as transient: retried, then reported', async () => {
    const { gateway, clock, observed } = harness({ retries: 1 });
    const scope = nock(JIRA).post(SEARCH).times(2).replyWithError(connectionReset());

    const error = await failure(gateway.searchReady({ updatedSince: null }));

    scope.done();
    expect(error.kind).toBe('transient');
    expect(error.message).toContain('ECONNRESET');
    expect(clock.sleeps).toEqual([2000]);
    expect(observed).toEqual(['error', 'error']);
  });

  it('sends a Data Center personal access token as a bearer token, to the Data Center search', async () => {
    const { gateway } = harness({ secrets: { jiraPat: 'pat-123' } });
    const scope = nock(JIRA, { reqheaders: { authorization: 'Bearer pat-123' } })
      .post('/rest/api/2/search')
      .reply(200, { startAt: 0, maxResults: 50, total: 0, issues: [] });

    await gateway.searchReady({ updatedSince: null });

    scope.done();
  });
});
