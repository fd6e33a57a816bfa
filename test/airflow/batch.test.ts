import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { useNock } from '../support/nock.js';
import { apiRun, harness, ROOT } from './helpers.js';

const V1 = `${ROOT}/api/v1`;
const V2 = `${ROOT}/api/v2`;
const since = new Date('2025-01-05T10:00:00.000Z');

function fillers(count: number): Record<string, unknown>[] {
  return Array.from({ length: count }, (_, index) => apiRun('scraper_lafa', `scheduled__${index}`, 'success'));
}

useNock();

describe('getDagRuns', () => {
  it('pages the v1 batch list, then fetches runs the pages missed one by one', async () => {
    const { gateway } = harness({ apiVersion: 'v1' });
    const bodies: unknown[] = [];
    const record = (body: unknown): boolean => (bodies.push(body), true);
    const batch = nock(V1)
      .post('/dags/~/dagRuns/list', record)
      .reply(200, { dag_runs: [...fillers(99), apiRun('scraper_lafa', 'jira__SCR-1__1', 'running')], total_entries: 150 })
      .post('/dags/~/dagRuns/list', record)
      .reply(200, { dag_runs: [...fillers(49), apiRun('scraper_quebec', 'jira__SCR-2__1', 'queued')], total_entries: 150 });
    const single = nock(V1)
      .get('/dags/scraper_quebec/dagRuns/jira__SCR-3__1')
      .reply(200, apiRun('scraper_quebec', 'jira__SCR-3__1', 'success'))
      .get('/dags/scraper_lafa/dagRuns/jira__SCR-4__1')
      .reply(404, { title: 'DAGRun not found', status: 404 });

    const runs = await gateway.getDagRuns(
      [
        { dagId: 'scraper_lafa', dagRunId: 'jira__SCR-1__1' },
        { dagId: 'scraper_quebec', dagRunId: 'jira__SCR-2__1' },
        { dagId: 'scraper_quebec', dagRunId: 'jira__SCR-3__1' },
        { dagId: 'scraper_lafa', dagRunId: 'jira__SCR-4__1' },
      ],
      since,
    );

    expect(runs.map((run) => [run.dagRunId, run.state])).toEqual([
      ['jira__SCR-1__1', 'running'],
      ['jira__SCR-2__1', 'queued'],
      ['jira__SCR-3__1', 'success'],
    ]);
    expect(bodies).toStrictEqual([
      {
        dag_ids: ['scraper_lafa', 'scraper_quebec'],
        execution_date_gte: '2025-01-05T09:00:00.000Z',
        page_limit: 100,
        page_offset: 0,
      },
      {
        dag_ids: ['scraper_lafa', 'scraper_quebec'],
        execution_date_gte: '2025-01-05T09:00:00.000Z',
        page_limit: 100,
        page_offset: 100,
      },
    ]);
    batch.done();
    single.done();
  });

  it('filters by run_after on v2, which queued runs with a null logical date also have', async () => {
    const { gateway } = harness({ apiVersion: 'v2' });
    let body: unknown;
    const scope = nock(V2)
      .post('/dags/~/dagRuns/list', (sent) => ((body = sent), true))
      .reply(200, { dag_runs: [{ ...apiRun('scraper_lafa', 'jira__SCR-1__1', 'queued'), logical_date: null }], total_entries: 1 });

    const runs = await gateway.getDagRuns([{ dagId: 'scraper_lafa', dagRunId: 'jira__SCR-1__1' }], since);

    expect(runs).toEqual([
      { dagId: 'scraper_lafa', dagRunId: 'jira__SCR-1__1', state: 'queued', startDate: null, endDate: null },
    ]);
    expect(body).toStrictEqual({
      dag_ids: ['scraper_lafa'],
      run_after_gte: '2025-01-05T09:00:00.000Z',
      page_limit: 100,
      page_offset: 0,
    });
    scope.done();
  });

  it('stops paging as soon as every asked run is found', async () => {
    const { gateway } = harness();
    const scope = nock(V1)
      .post('/dags/~/dagRuns/list')
      .reply(200, { dag_runs: [...fillers(99), apiRun('scraper_lafa', 'jira__SCR-1__1')], total_entries: 500 });

    const runs = await gateway.getDagRuns([{ dagId: 'scraper_lafa', dagRunId: 'jira__SCR-1__1' }], since);
    expect(runs).toHaveLength(1);
    scope.done();
  });

  it('asks nothing for no runs', async () => {
    const { gateway } = harness();
    expect(await gateway.getDagRuns([], since)).toEqual([]);
  });

  it('asks run by run when a page is malformed, and fails with bad_response when that answer is malformed too', async () => {
    const { gateway } = harness();
    const scope = nock(V1)
      .post('/dags/~/dagRuns/list')
      .reply(200, { runs: [] })
      .get('/dags/scraper_lafa/dagRuns/r')
      .reply(200, { state: 'exploded' });

    await expect(gateway.getDagRuns([{ dagId: 'scraper_lafa', dagRunId: 'r' }], since)).rejects.toMatchObject({
      kind: 'bad_response',
    });
    scope.done();
  });
});
