import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { useNock } from '../support/nock.js';
import {
  failure,
  harness,
  JIRA,
  page,
  rawIssue,
  READ_FIELDS,
  SEARCH,
  type SearchBody,
  statusChange,
} from './helpers.js';

useNock();

describe('getTicket', () => {
  it('reads the issue directly with the fields it needs and the changelog', async () => {
    const { gateway } = harness();
    const history = statusChange('55', '2025-01-05T08:00:00.000+0000', 'Open', 'Ready to Run');
    const scope = nock(JIRA)
      .get('/rest/api/3/issue/SCR-4')
      .query({ fields: READ_FIELDS.join(','), expand: 'changelog' })
      .reply(200, rawIssue('SCR-4', { histories: [history] }));

    const ticket = await gateway.getTicket('SCR-4');

    scope.done();
    expect(ticket?.requestId).toBe('55');
  });

  it('answers null for a 404', async () => {
    const { gateway, clock } = harness();
    const scope = nock(JIRA)
      .get('/rest/api/3/issue/SCR-404')
      .query(true)
      .reply(404, { errorMessages: ['Issue does not exist or you do not have permission to see it.'] });

    expect(await gateway.getTicket('SCR-404')).toBeNull();

    scope.done();
    expect(clock.sleeps).toEqual([]);
  });
});

describe('getTickets', () => {
  it('searches keys in chunks of 50, reconciling the ids it has seen', async () => {
    const { gateway } = harness();
    const keys = Array.from({ length: 51 }, (_, index) => `SCR-${index + 1}`);
    const bodies: SearchBody[] = [];
    const record = (sent: SearchBody) => (bodies.push(sent), true);
    const scope = nock(JIRA)
      .post(SEARCH)
      .reply(200, page([rawIssue('SCR-1', { id: '20001' })]))
      .post(SEARCH, record)
      .reply(200, page(keys.slice(0, 50).map((key) => rawIssue(key))))
      .post(SEARCH, record)
      .reply(200, page([rawIssue('SCR-51')]));

    await gateway.searchReady({ updatedSince: null });
    const tickets = await gateway.getTickets(keys);

    scope.done();
    expect(tickets).toHaveLength(51);
    expect(bodies[0]?.jql).toBe(`key in (${keys.slice(0, 50).map((key) => `"${key}"`).join(', ')})`);
    expect(bodies[0]?.reconcileIssues).toEqual([20001]);
    expect(bodies[0]?.expand).toBe('changelog');
    expect(bodies[1]?.jql).toBe('key in ("SCR-51")');
    expect(bodies[1]?.reconcileIssues).toBeUndefined();
  });

  it('drops a key Jira says does not exist and searches the rest again', async () => {
    const { gateway } = harness();
    const jqls: string[] = [];
    const record = (sent: SearchBody) => (jqls.push(sent.jql), true);
    const scope = nock(JIRA)
      .post(SEARCH, record)
      .reply(400, { errorMessages: ["An issue with key 'SCR-9' does not exist for field 'key'."], errors: {} })
      .post(SEARCH, record)
      .reply(200, page([rawIssue('SCR-1'), rawIssue('SCR-2')]));

    const tickets = await gateway.getTickets(['SCR-1', 'SCR-9', 'SCR-2']);

    scope.done();
    expect(jqls).toEqual(['key in ("SCR-1", "SCR-9", "SCR-2")', 'key in ("SCR-1", "SCR-2")']);
    expect(tickets.map((ticket) => ticket.key)).toEqual(['SCR-1', 'SCR-2']);
  });

  it('falls back to direct reads when the 400 names no key, leaving out the missing one', async () => {
    const { gateway } = harness();
    const scope = nock(JIRA)
      .post(SEARCH)
      .reply(400, { errorMessages: ['The value in the key field is not valid.'] })
      .get('/rest/api/3/issue/SCR-1')
      .query(true)
      .reply(200, rawIssue('SCR-1'))
      .get('/rest/api/3/issue/SCR-2')
      .query(true)
      .reply(404, { errorMessages: ['Issue does not exist or you do not have permission to see it.'] });

    const tickets = await gateway.getTickets(['SCR-1', 'SCR-2']);

    scope.done();
    expect(tickets.map((ticket) => ticket.key)).toEqual(['SCR-1']);
  });
});

describe('updateFields', () => {
  it('writes Run Status as a select and the run ids as text', async () => {
    const { gateway } = harness();
    let body: unknown;
    const scope = nock(JIRA)
      .put('/rest/api/3/issue/SCR-1', (sent) => ((body = sent), true))
      .reply(204);

    await gateway.updateFields('SCR-1', { runStatus: 'running', airflowRunId: 'jira__SCR-1__1', platformRunId: 'RUN-7' });

    scope.done();
    expect(body).toEqual({
      fields: {
        customfield_run_status: { value: 'running' },
        customfield_airflow_run_id: 'jira__SCR-1__1',
        customfield_run_id: 'RUN-7',
      },
    });
  });

  it('reports a 409 as a conflict without retrying', async () => {
    const { gateway, clock } = harness();
    const scope = nock(JIRA)
      .put('/rest/api/3/issue/SCR-1')
      .reply(409, { errorMessages: ['The issue is being edited by another request.'] });

    const error = await failure(gateway.updateFields('SCR-1', { runStatus: 'failed' }));

    scope.done();
    expect(error.kind).toBe('conflict');
    expect(error.message).toContain('being edited');
    expect(clock.sleeps).toEqual([]);
  });
});
