import { afterEach, describe, expect, it } from 'vitest';
import type { ApiVersion, SimParam } from '../../src/sandbox/airflow/index.js';
import { loadSpec, specsMissingReason, validateExchanges, type Relaxation, type SpecName } from './contract.js';
import { basic, request, startHarness, type SimHarness } from './airflow/helpers.js';

const SPECS: Record<ApiVersion, SpecName> = { v1: 'airflow-v1.yaml', v2: 'airflow-v2.yaml' };

/** Spec rules known to be wrong about the real Airflow, each with the reason. */
const RELAXATIONS: Record<ApiVersion, Relaxation[]> = {
  v1: [],
  v2: ['/state', '/trigger', '/triggerer_job', '/dag_version'].map((path) => ({
    operationId: 'get_task_instances',
    in: 'response' as const,
    keyword: 'type',
    path,
    why: 'the generated spec turned anyOf [$ref, null] into $ref + nullable, which a $ref ignores; Airflow 3 sends null here (no state before the task is scheduled, no trigger)',
  })),
};

const PARAMS: Record<string, SimParam> = {
  max_pages: { default: 10, description: 'Pages to fetch', schema: { type: 'integer', minimum: 1 } },
  country: { schema: { type: 'string' } },
};

/** Drives every endpoint the sim serves, good and bad requests alike, so the log holds each response shape. */
async function scenario(h: SimHarness, version: ApiVersion): Promise<void> {
  const v2 = version === 'v2';
  const trigger = (dagId: string, dagRunId: string, extra: Record<string, unknown> = {}) => h.trigger(dagId, dagRunId, extra);
  await h.call('GET', '/version');
  await h.call('GET', v2 ? '/monitor/health' : '/health');
  await h.call('GET', '/dags?limit=10&offset=0');
  await h.call('GET', '/dags/scraper_lafa');
  await h.call('GET', '/dags/scraper_nope');
  await h.call('GET', '/dags/scraper_lafa/details');
  await h.call('GET', '/dags/scraper_nope/details');
  await h.call('PATCH', '/dags/scraper_quebec?update_mask=is_paused', { is_paused: true });
  await h.call('PATCH', '/dags/scraper_quebec', { is_paused: false });
  await trigger('scraper_lafa', 'jira__SCR-1__1', { conf: { jira_issue_key: 'SCR-1', params: { a: 1 } }, note: 'n' });
  await trigger('scraper_lafa', 'jira__SCR-1__1');
  await trigger('scraper_nope', 'jira__SCR-2__1');
  await trigger('scraper_lafa', 'bad id!');
  if (v2) await h.call('POST', '/dags/scraper_lafa/dagRuns', { dag_run_id: 'jira__SCR-3__1', conf: {} });
  h.sim.plan({ dagRunId: 'jira__SCR-4__1' }, { state: 'failed', errorText: 'boom' });
  await trigger('scraper_alfabeta', 'jira__SCR-4__1');
  await trigger('scraper_alfabeta', 'jira__SCR-5__1');
  await h.call('GET', '/dags/scraper_lafa/dagRuns/jira__SCR-1__1');
  await h.call('GET', '/dags/scraper_lafa/dagRuns/jira__SCR-1__1/taskInstances');
  h.clock.advance(1500);
  await h.call('GET', '/dags/scraper_lafa/dagRuns/jira__SCR-1__1/taskInstances');
  await h.call('PATCH', '/dags/scraper_alfabeta/dagRuns/jira__SCR-5__1', { state: 'failed' });
  await h.call('PATCH', '/dags/scraper_alfabeta/dagRuns/nope', { state: 'failed' });
  // The sim runs with clobberFirstStop: the stop above is overwritten until the task is marked failed.
  const task = '/dags/scraper_alfabeta/dagRuns/jira__SCR-5__1/taskInstances/run_pipeline';
  await h.call('GET', '/dags/scraper_alfabeta/dagRuns/jira__SCR-5__1/taskInstances');
  await h.call('PATCH', task, v2 ? { new_state: 'failed' } : { new_state: 'failed', dry_run: false });
  await h.call('PATCH', '/dags/scraper_alfabeta/dagRuns/nope/taskInstances/run_pipeline', v2 ? { new_state: 'failed' } : { new_state: 'failed', dry_run: false });
  if (v2) await h.call('PATCH', task, { new_state: 'failed' });
  if (!v2) {
    const setState = { dag_run_id: 'jira__SCR-5__1', task_id: 'run_pipeline', new_state: 'failed', dry_run: false };
    await h.call('POST', '/dags/scraper_alfabeta/updateTaskInstancesState', setState);
    await h.call('POST', '/dags/scraper_alfabeta/updateTaskInstancesState', { ...setState, dag_run_id: 'nope' });
  }
  h.clock.advance(5000);
  await h.call('GET', '/dags/scraper_lafa/dagRuns/jira__SCR-1__1');
  await h.call('GET', '/dags/scraper_lafa/dagRuns/nope');
  await h.call('GET', '/dags/scraper_lafa/dagRuns?limit=5&offset=0&state=success&start_date_gte=2025-01-05T10:00:00%2B00:00&order_by=-start_date');
  await h.call('GET', '/dags/~/dagRuns');
  await h.call('GET', '/dags/~/dagRuns?end_date_gte=2025-01-05T10:00:00%2B00:00&end_date_lte=2025-01-05T11:00:00%2B00:00&start_date_lte=2025-01-05T11:00:00%2B00:00&updated_at_gte=2025-01-05T10:00:00%2B00:00');
  await h.call('POST', '/dags/~/dagRuns/list', { start_date_lte: '2025-01-05T11:00:00Z', end_date_gte: '2025-01-05T10:00:00Z', end_date_lte: '2025-01-05T11:00:00Z' });
  await h.call('POST', '/dags/~/dagRuns/list', { dag_ids: ['scraper_lafa', 'scraper_alfabeta'], states: ['success', 'failed'], start_date_gte: '2025-01-05T10:00:00Z', page_limit: 100, page_offset: 0, order_by: 'start_date' });
  const xcom = (dagId: string, runId: string, query = '') => h.call('GET', `/dags/${dagId}/dagRuns/${runId}/taskInstances/run_pipeline/xcomEntries/return_value${query}`);
  await xcom('scraper_lafa', 'jira__SCR-1__1');
  await xcom('scraper_lafa', 'jira__SCR-1__1', '?stringify=false');
  await xcom('scraper_lafa', 'jira__SCR-1__1', '?stringify=true');
  await xcom('scraper_alfabeta', 'jira__SCR-4__1', '?stringify=false');
  await xcom('scraper_alfabeta', 'jira__SCR-5__1');
  await h.call('GET', '/dags/scraper_lafa', undefined, { authorization: 'Bearer wrong' });
  if (!v2) await h.call('GET', '/dags/scraper_lafa', undefined, basic('admin', 'admin'));
}

describe.each(['v1', 'v2'] as const)('Airflow sim %s against the published OpenAPI spec', (version) => {
  let h: SimHarness | undefined;
  afterEach(async () => {
    await h?.sim.close();
  });

  const reason = specsMissingReason(SPECS[version]);
  if (reason !== null) console.log(reason);

  it.skipIf(reason !== null)('serves only documented operations, statuses and shapes', { timeout: 120_000 }, async () => {
    const validator = await loadSpec(SPECS[version], RELAXATIONS[version]);
    expect(validator).not.toBeNull();
    h = await startHarness(version, { clobberFirstStop: true, dags: [{ dagId: 'scraper_lafa', params: PARAMS }, { dagId: 'scraper_alfabeta' }, { dagId: 'scraper_quebec' }] });
    if (version === 'v2') expect((await request(`${h.sim.url}/auth/token`, 'POST', { username: 'admin', password: 'admin' })).status).toBe(201);
    await scenario(h, version);
    // POST /auth/token belongs to the auth manager, not to the /api/v2 spec.
    const exchanges = h.sim.log.entries.filter((entry) => entry.path !== '/auth/token');
    expect(new Set(exchanges.map((entry) => entry.status))).toEqual(new Set(version === 'v1' ? [200, 400, 401, 404, 409] : [200, 401, 404, 409, 422]));
    expect(validateExchanges(validator!, exchanges)).toEqual([]);
    // The validator is not vacuous: a run in a state Airflow does not have is reported.
    const run = exchanges.find((entry) => entry.method === 'GET' && entry.route?.endsWith('/dagRuns/:dagRunId') && entry.status === 200);
    expect(validateExchanges(validator!, [{ ...run!, responseBody: { ...(run!.responseBody as object), state: 'exploded' } }])).toHaveLength(1);
  });
});
