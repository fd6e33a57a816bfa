import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { useNock } from '../support/nock.js';
import { apiRun, harness, ROOT } from './helpers.js';

const V1 = `${ROOT}/api/v1`;
const since = new Date('2025-01-05T10:00:00.000Z');

useNock();

describe('getDagRuns against a server without the batch list', () => {
  it.each([
    [404, { title: 'Not Found', status: 404 }],
    [405, { title: 'Method Not Allowed', status: 405 }],
  ])('asks run by run after a %i', async (status, body) => {
    const { gateway } = harness({ apiVersion: 'v1' });
    const scope = nock(V1)
      .post('/dags/~/dagRuns/list')
      .reply(status, body)
      .get('/dags/scraper_lafa/dagRuns/jira__SCR-1__1')
      .reply(200, apiRun('scraper_lafa', 'jira__SCR-1__1', 'success'));

    const runs = await gateway.getDagRuns([{ dagId: 'scraper_lafa', dagRunId: 'jira__SCR-1__1' }], since);

    scope.done();
    expect(runs.map((run) => [run.dagRunId, run.state])).toEqual([['jira__SCR-1__1', 'success']]);
  });

  it('still fails the call when Airflow is down', async () => {
    const { gateway } = harness({ apiVersion: 'v1', retries: 0 });
    nock(V1).post('/dags/~/dagRuns/list').reply(503, {});

    await expect(gateway.getDagRuns([{ dagId: 'scraper_lafa', dagRunId: 'jira__SCR-1__1' }], since)).rejects.toMatchObject({ kind: 'transient' });
  });
});
