import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { useNock } from '../support/nock.js';
import { apiRun, harness, ROOT } from './helpers.js';

const V1 = `${ROOT}/api/v1`;
const V2 = `${ROOT}/api/v2`;

function ours(dagId: string, dagRunId: string, state: string, environment = 'staging'): Record<string, unknown> {
  const issue = dagRunId.split('__')[1] ?? 'SCR-0';
  return { ...apiRun(dagId, dagRunId, state), conf: { jira_issue_key: issue, source: dagId.replace('scraper_', ''), environment } };
}

useNock();

describe('getInFlightRuns', () => {
  it.each([
    ['v1', V1],
    ['v2', V2],
  ] as const)('asks the batch list (%s) for queued and running runs of our DAGs, all pages, and keeps those a ticket started', async (apiVersion, base) => {
    const { gateway } = harness({ apiVersion, secrets: { airflowToken: 't' } });
    const bodies: unknown[] = [];
    const record = (body: unknown): boolean => (bodies.push(body), true);
    const manual = Array.from({ length: 99 }, (_, index) => apiRun('scraper_lafa', `manual__${index}`, 'running'));
    const scope = nock(base)
      .post('/dags/~/dagRuns/list', record)
      .reply(200, { dag_runs: [...manual, ours('scraper_quebec', 'jira__SCR-1__1', 'running')], total_entries: 101 })
      .post('/dags/~/dagRuns/list', record)
      .reply(200, { dag_runs: [ours('scraper_lafa', 'jira__SCR-2__1', 'queued', 'dev')], total_entries: 101 });

    const runs = await gateway.getInFlightRuns(['scraper_quebec', 'scraper_lafa']);

    scope.done();
    expect(runs).toEqual([
      { dagId: 'scraper_quebec', dagRunId: 'jira__SCR-1__1', issueKey: 'SCR-1', source: 'quebec', environment: 'staging' },
      { dagId: 'scraper_lafa', dagRunId: 'jira__SCR-2__1', issueKey: 'SCR-2', source: 'lafa', environment: 'dev' },
    ]);
    expect(bodies).toEqual([
      { dag_ids: ['scraper_quebec', 'scraper_lafa'], states: ['queued', 'running'], page_limit: 100, page_offset: 0 },
      { dag_ids: ['scraper_quebec', 'scraper_lafa'], states: ['queued', 'running'], page_limit: 100, page_offset: 100 },
    ]);
  });

  it('lists each DAG by state where the batch list is refused; a DAG this Airflow lacks has none', async () => {
    const { gateway } = harness({ apiVersion: 'v1', secrets: { airflowToken: 't' } });
    const scope = nock(V1)
      .post('/dags/~/dagRuns/list')
      .reply(404, { title: 'Not Found', status: 404 })
      .get('/dags/scraper_quebec/dagRuns')
      .query({ state: 'queued', limit: 100, offset: 0 })
      .reply(200, { dag_runs: [ours('scraper_quebec', 'jira__SCR-1__1', 'queued')], total_entries: 1 })
      .get('/dags/scraper_quebec/dagRuns')
      .query({ state: 'running', limit: 100, offset: 0 })
      .reply(200, { dag_runs: [], total_entries: 0 })
      .get('/dags/scraper_gone/dagRuns')
      .query(true)
      .times(2)
      .reply(404, { title: 'DAG not found', status: 404 });

    const runs = await gateway.getInFlightRuns(['scraper_quebec', 'scraper_gone']);

    scope.done();
    expect(runs.map((run) => run.dagRunId)).toEqual(['jira__SCR-1__1']);
  });
});
