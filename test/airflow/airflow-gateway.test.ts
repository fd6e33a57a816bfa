import nock from 'nock';
import { describe, expect, it } from 'vitest';
import type { RunConf } from '../../src/airflow/gateway.js';
import { UpstreamError } from '../../src/http/errors.js';
import { useNock } from '../support/nock.js';
import { apiRun, harness, ROOT } from './helpers.js';

const V1 = `${ROOT}/api/v1`;
const V2 = `${ROOT}/api/v2`;
const conf: RunConf = {
  jira_issue_key: 'SCR-12',
  source: 'lafa',
  run_type: 'DELTA',
  params: { since: '2025-01-01', nested: { ids: [1, 2] } },
  environment: 'staging',
};

// nock 14 hangs on a plain-object error; a real Error with a code behaves like a dropped socket.
function connectionReset(): Error {
  return Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
}

async function failure(promise: Promise<unknown>): Promise<UpstreamError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(UpstreamError);
  return error as UpstreamError;
}

useNock();

describe('trigger', () => {
  it('sends dag_run_id and conf on v1, without logical_date, and returns the created run', async () => {
    const { gateway } = harness({ apiVersion: 'v1' });
    let body: unknown;
    const scope = nock(V1)
      .post('/dags/scraper_lafa/dagRuns', (sent) => ((body = sent), true))
      .reply(200, apiRun('scraper_lafa', 'jira__SCR-12__1', 'queued'));

    const outcome = await gateway.trigger('scraper_lafa', 'jira__SCR-12__1', conf);

    expect(body).toStrictEqual({ dag_run_id: 'jira__SCR-12__1', conf });
    expect(outcome).toEqual({
      kind: 'created',
      run: { dagId: 'scraper_lafa', dagRunId: 'jira__SCR-12__1', state: 'queued', startDate: null, endDate: null },
    });
    scope.done();
  });

  it('sends "logical_date": null on v2', async () => {
    const { gateway } = harness({ apiVersion: 'v2' });
    let body: unknown;
    const scope = nock(V2)
      .post('/dags/scraper_lafa/dagRuns', (sent) => ((body = sent), true))
      .reply(200, apiRun('scraper_lafa', 'jira__SCR-12__1', 'queued'));

    await gateway.trigger('scraper_lafa', 'jira__SCR-12__1', conf);

    expect(body).toStrictEqual({ dag_run_id: 'jira__SCR-12__1', logical_date: null, conf });
    expect(Object.keys(body as object)).toContain('logical_date');
    scope.done();
  });

  it.each(['v1', 'v2'] as const)('treats 409 as an existing run on %s', async (apiVersion) => {
    const { gateway, clock } = harness({ apiVersion });
    const scope = nock(`${ROOT}/api/${apiVersion}`)
      .post('/dags/scraper_lafa/dagRuns')
      .reply(409, { detail: 'DAGRun with DAG ID: scraper_lafa and DAGRun ID: jira__SCR-12__1 already exists' });

    expect(await gateway.trigger('scraper_lafa', 'jira__SCR-12__1', conf)).toEqual({ kind: 'exists' });
    expect(clock.sleeps).toEqual([]);
    scope.done();
  });

  it('fails with not_found when the DAG is gone', async () => {
    const { gateway } = harness();
    const scope = nock(V1).post('/dags/scraper_lafa/dagRuns').reply(404, { title: 'DAG not found', status: 404 });

    const error = await failure(gateway.trigger('scraper_lafa', 'jira__SCR-12__1', conf));
    expect(error.kind).toBe('not_found');
    scope.done();
  });

  it('fails with bad_request on 400 without retrying, saying what Airflow said', async () => {
    const { gateway, clock } = harness();
    const scope = nock(V1)
      .post('/dags/scraper_lafa/dagRuns')
      .reply(400, { title: 'Bad Request', detail: "'bad id' does not match '^[A-Za-z0-9_.~:+-]+$'", status: 400 });

    const error = await failure(gateway.trigger('scraper_lafa', 'bad id', conf));
    expect(error.kind).toBe('bad_request');
    expect(error.message).toContain('does not match');
    expect(clock.sleeps).toEqual([]);
    scope.done();
  });

  it('fails with bad_request on a v2 422 validation error, naming the field', async () => {
    const { gateway, clock } = harness({ apiVersion: 'v2' });
    const scope = nock(V2)
      .post('/dags/scraper_lafa/dagRuns')
      .reply(422, { detail: [{ type: 'missing', loc: ['body', 'logical_date'], msg: 'Field required' }] });

    const error = await failure(gateway.trigger('scraper_lafa', 'jira__SCR-12__1', conf));
    expect(error.kind).toBe('bad_request');
    expect(error.status).toBe(422);
    expect(error.message).toContain('logical_date');
    expect(clock.sleeps).toEqual([]);
    scope.done();
  });
});

describe('getDag', () => {
  it('maps a v1 DAG', async () => {
    const { gateway } = harness({ apiVersion: 'v1' });
    const scope = nock(V1).get('/dags/scraper_lafa').reply(200, { dag_id: 'scraper_lafa', is_paused: true, is_active: true });

    expect(await gateway.getDag('scraper_lafa')).toEqual({ dagId: 'scraper_lafa', isPaused: true, isActive: true });
    scope.done();
  });

  it('maps a v2 DAG, where is_stale replaces is_active', async () => {
    const { gateway } = harness({ apiVersion: 'v2' });
    const scope = nock(V2).get('/dags/scraper_lafa').reply(200, { dag_id: 'scraper_lafa', is_paused: false, is_stale: true });

    expect(await gateway.getDag('scraper_lafa')).toEqual({ dagId: 'scraper_lafa', isPaused: false, isActive: false });
    scope.done();
  });

  it('returns null on 404', async () => {
    const { gateway } = harness();
    const scope = nock(V1).get('/dags/scraper_nope').reply(404, { title: 'DAG not found', status: 404 });

    expect(await gateway.getDag('scraper_nope')).toBeNull();
    scope.done();
  });
});

describe('getDagRun', () => {
  it('returns the mapped run on 2xx', async () => {
    const { gateway } = harness();
    const scope = nock(V1).get('/dags/scraper_lafa/dagRuns/jira__SCR-12__1').reply(200, apiRun('scraper_lafa', 'jira__SCR-12__1', 'success'));

    expect(await gateway.getDagRun('scraper_lafa', 'jira__SCR-12__1')).toEqual({
      dagId: 'scraper_lafa',
      dagRunId: 'jira__SCR-12__1',
      state: 'success',
      startDate: '2025-01-05T11:00:00.000Z',
      endDate: '2025-01-05T11:30:00.000Z',
    });
    scope.done();
  });

  it('encodes the run id as one path segment', async () => {
    const { gateway } = harness();
    const scope = nock(V1).get('/dags/scraper_lafa/dagRuns/manual__2025-01-05T10%3A00%3A00%2B00%3A00').reply(404, {});

    expect(await gateway.getDagRun('scraper_lafa', 'manual__2025-01-05T10:00:00+00:00')).toBeNull();
    scope.done();
  });

  it('returns null on 404', async () => {
    const { gateway } = harness();
    const scope = nock(V1).get('/dags/scraper_lafa/dagRuns/gone').reply(404, { title: 'DAGRun not found', status: 404 });

    expect(await gateway.getDagRun('scraper_lafa', 'gone')).toBeNull();
    scope.done();
  });

  it('fails with bad_response on a state runs do not have', async () => {
    const { gateway, clock } = harness();
    const scope = nock(V1).get('/dags/scraper_lafa/dagRuns/r1').reply(200, apiRun('scraper_lafa', 'r1', 'up_for_retry'));

    const error = await failure(gateway.getDagRun('scraper_lafa', 'r1'));
    expect(error.kind).toBe('bad_response');
    expect(error.message).toContain('state');
    expect(error.message).toContain('GET /dags/scraper_lafa/dagRuns/r1');
    expect(clock.sleeps).toEqual([]);
    scope.done();
  });

  it('fails with bad_response on a body that is not JSON', async () => {
    const { gateway } = harness();
    const scope = nock(V1).get('/dags/scraper_lafa/dagRuns/r1').reply(200, '<html>Sign in</html>', { 'Content-Type': 'text/html' });

    expect((await failure(gateway.getDagRun('scraper_lafa', 'r1'))).kind).toBe('bad_response');
    scope.done();
  });
});

describe('retries', () => {
  it('retries a 5xx and then succeeds, waiting with backoff through the clock', async () => {
    const { gateway, clock, observed } = harness({ retries: 2 });
    const scope = nock(V1)
      .get('/version')
      .reply(503, 'upstream unavailable')
      .get('/version')
      .reply(502)
      .get('/version')
      .reply(200, { version: '2.10.4', git_version: null });

    expect(await gateway.version()).toBe('2.10.4');
    expect(clock.sleeps).toEqual([2000, 4000]);
    expect(observed).toEqual(['airflow 503', 'airflow 502', 'airflow 200']);
    scope.done();
  });

  it('gives up after the configured retries with a transient error', async () => {
    const { gateway, clock } = harness({ retries: 2 });
    const scope = nock(V1).get('/version').times(3).reply(500, { title: 'Internal Server Error', status: 500 });

    const error = await failure(gateway.version());
    expect(error.kind).toBe('transient');
    expect(error.status).toBe(500);
    expect(clock.sleeps).toHaveLength(2);
    scope.done();
  });

  it('waits as long as Retry-After says on 429', async () => {
    const { gateway, clock } = harness();
    const scope = nock(V1)
      .get('/version')
      .reply(429, { title: 'Too Many Requests' }, { 'Retry-After': '7' })
      .get('/version')
      .reply(200, { version: '2.10.4' });

    expect(await gateway.version()).toBe('2.10.4');
    expect(clock.sleeps).toEqual([7000]);
    scope.done();
  });

  it('retries a connection reset', async () => {
    const { gateway, clock, observed } = harness();
    const scope = nock(V1)
      .get('/version')
      .replyWithError(connectionReset())
      .get('/version')
      .reply(200, { version: '2.10.4' });

    expect(await gateway.version()).toBe('2.10.4');
    expect(clock.sleeps).toEqual([2000]);
    expect(observed).toEqual(['airflow error', 'airflow 200']);
    scope.done();
  });

  it('reports Airflow unreachable when the connection keeps resetting', async () => {
    const { gateway, clock } = harness({ retries: 1 });
    const scope = nock(V1).get('/version').times(2).replyWithError(connectionReset());

    const error = await failure(gateway.version());
    expect(error.kind).toBe('transient');
    expect(error.message).toContain('ECONNRESET');
    expect(clock.sleeps).toEqual([2000]);
    scope.done();
  });

  it.each([401, 403])('does not retry %i and reports an auth error', async (status) => {
    const { gateway, clock } = harness({ secrets: { airflowUser: 'admin', airflowPass: 'wrong' } });
    const scope = nock(V1).get('/dags/scraper_lafa').reply(status, { title: 'Unauthorized', status });

    const error = await failure(gateway.getDag('scraper_lafa'));
    expect(error.kind).toBe('auth');
    expect(clock.sleeps).toEqual([]);
    scope.done();
  });
});

describe('stopDagRun', () => {
  it.each(['v1', 'v2'] as const)('on %s marks a live run failed, its running task failed, and confirms it by reading it back', async (apiVersion) => {
    const { gateway } = harness({ apiVersion, secrets: { airflowToken: 't0ken' } });
    const run = '/dags/scraper_lafa/dagRuns/jira__SCR-12__1';
    let body: unknown;
    const scope = nock(`${ROOT}/api/${apiVersion}`)
      .get(run)
      .reply(200, apiRun('scraper_lafa', 'jira__SCR-12__1', 'running'))
      .patch(run, (sent) => ((body = sent), true))
      .reply(200, apiRun('scraper_lafa', 'jira__SCR-12__1', 'failed'))
      .get(`${run}/taskInstances`)
      .query(true)
      .reply(200, { task_instances: [{ task_id: 'run_pipeline', state: 'success' }], total_entries: 1 })
      .get(run)
      .reply(200, apiRun('scraper_lafa', 'jira__SCR-12__1', 'failed'));

    expect(await gateway.stopDagRun('scraper_lafa', 'jira__SCR-12__1')).toEqual({ kind: 'confirmed', rounds: 1, tasksMarked: 0 });
    expect(body).toStrictEqual({ state: 'failed' });
    scope.done();
  });

  it('changes nothing for a run that already ended, and says so', async () => {
    const { gateway } = harness();
    const scope = nock(V1).get('/dags/scraper_lafa/dagRuns/done').reply(200, apiRun('scraper_lafa', 'done', 'success'));

    expect(await gateway.stopDagRun('scraper_lafa', 'done')).toEqual({ kind: 'already-ended', state: 'success' });
    scope.done();
  });

  it('answers not-found when the run does not exist', async () => {
    const { gateway } = harness();
    const scope = nock(V1).get('/dags/scraper_lafa/dagRuns/gone').reply(404, { title: 'DAGRun not found' });

    expect(await gateway.stopDagRun('scraper_lafa', 'gone')).toEqual({ kind: 'not-found' });
    scope.done();
  });
});

describe('version and uiUrl', () => {
  it('reads the version on v2', async () => {
    const { gateway } = harness({ apiVersion: 'v2' });
    const scope = nock(V2).get('/version').reply(200, { version: '3.1.0', git_version: null });

    expect(await gateway.version()).toBe('3.1.0');
    scope.done();
  });

  it('links to the Airflow 2 grid view', () => {
    const { gateway } = harness({ apiVersion: 'v1' });
    expect(gateway.uiUrl('scraper_lafa', 'jira__SCR-12__1+x')).toBe(
      'https://airflow-ui.example.com/dags/scraper_lafa/grid?dag_run_id=jira__SCR-12__1%2Bx',
    );
  });

  it('links to the Airflow 3 run page', () => {
    const { gateway } = harness({ apiVersion: 'v2' });
    expect(gateway.uiUrl('scraper_lafa', 'jira__SCR-12__1')).toBe(
      'https://airflow-ui.example.com/dags/scraper_lafa/runs/jira__SCR-12__1',
    );
  });
});
