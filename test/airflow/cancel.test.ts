import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { verifiedStop, type VerifiedStopDeps } from '../../src/airflow/cancel.js';
import { createAirflowClient } from '../../src/airflow/client.js';
import { UpstreamError } from '../../src/http/errors.js';
import { startAirflowSim, type AirflowSim, type ApiVersion } from '../../src/sandbox/airflow/index.js';
import { fakeClock, type FakeClock } from '../support/fake-clock.js';
import { captureLog } from '../support/log-capture.js';
import { useNock } from '../support/nock.js';
import { apiRun, NOW, ROOT, testConfig } from './helpers.js';

const RUN = '/dags/scraper_lafa/dagRuns/jira__SCR-7__1';
const TASKS = `${RUN}/taskInstances`;

const SIM_TOKEN = 'sim-token';

/** The stop's dependencies: against the mocked ROOT, or against a sim's url with its static token. */
function deps(apiVersion: ApiVersion, options: { simUrl?: string; clock?: FakeClock } = {}): VerifiedStopDeps & { clock: FakeClock } {
  const clock = options.clock ?? fakeClock(NOW);
  const base = testConfig({ apiVersion, retries: 0, secrets: options.simUrl === undefined ? {} : { airflowToken: SIM_TOKEN } });
  const config = options.simUrl === undefined ? base : { ...base, airflow: { ...base.airflow, baseUrl: options.simUrl } };
  const { log } = captureLog();
  return { client: createAirflowClient({ config, clock, log }), apiVersion, clock, log };
}

function task(taskId: string, state: string | null, mapIndex = -1): Record<string, unknown> {
  return { task_id: taskId, dag_id: 'scraper_lafa', dag_run_id: 'jira__SCR-7__1', state, map_index: mapIndex };
}

function taskList(...tasks: Array<Record<string, unknown>>): Record<string, unknown> {
  return { task_instances: tasks, total_entries: tasks.length };
}

const run = (state: string): Record<string, unknown> => apiRun('scraper_lafa', 'jira__SCR-7__1', state);

describe('verifiedStop against a mocked Airflow', () => {
  useNock();

  describe.each(['v1', 'v2'] as const)('%s', (version) => {
    const api = { get: (path: string) => nock(`${ROOT}/api/${version}`).get(path) };
    const failTask = version === 'v1' ? { new_state: 'failed', dry_run: false } : { new_state: 'failed' };

    it('changes nothing when the run already ended', async () => {
      const scope = api.get(RUN).reply(200, run('success'));
      const d = deps(version);
      expect(await verifiedStop(d, 'scraper_lafa', 'jira__SCR-7__1')).toEqual({ kind: 'already-ended', state: 'success' });
      expect(d.clock.sleeps).toEqual([]);
      scope.done();
    });

    it('answers not-found for a run Airflow does not have', async () => {
      const scope = api.get(RUN).reply(404, { detail: 'not found' });
      expect(await verifiedStop(deps(version), 'scraper_lafa', 'jira__SCR-7__1')).toEqual({ kind: 'not-found' });
      scope.done();
    });

    it('sets the run failed, marks only its active task instances failed, waits, and confirms on the read-back', async () => {
      const patched: unknown[] = [];
      const scope = api
        .get(RUN).reply(200, run('running'))
        .patch(RUN, (body) => (patched.push(body), true)).reply(200, run('failed'))
        .get(TASKS).query({ limit: '100', offset: '0' })
        .reply(200, taskList(task('run_pipeline', 'running'), task('extract', 'success'), task('notify', null), task('wait', 'deferred')))
        .patch(`${TASKS}/run_pipeline`, (body) => (patched.push(body), true)).reply(200, {})
        .patch(`${TASKS}/wait`, (body) => (patched.push(body), true)).reply(200, {})
        .get(RUN).reply(200, run('failed'));
      const d = deps(version);
      expect(await verifiedStop(d, 'scraper_lafa', 'jira__SCR-7__1')).toEqual({ kind: 'confirmed', rounds: 1, tasksMarked: 2 });
      expect(patched).toEqual([{ state: 'failed' }, failTask, failTask]);
      expect(d.clock.sleeps).toEqual([2000]);
      scope.done();
    });

    it('stops again when the scheduler set the run back to running, and confirms in the second round', async () => {
      const scope = api
        .get(RUN).reply(200, run('running'))
        .patch(RUN).reply(200, run('failed'))
        .get(TASKS).query(true).reply(200, taskList(task('run_pipeline', 'running')))
        // The task instance endpoint is not allowed here (an older Airflow 2): the PATCH of the run must do.
        .patch(`${TASKS}/run_pipeline`).reply(404, { detail: 'not found' })
        .get(RUN).reply(200, run('running'))
        .patch(RUN).reply(200, run('failed'))
        .get(TASKS).query(true).reply(200, taskList(task('run_pipeline', 'failed')))
        .get(RUN).reply(200, run('failed'));
      const d = deps(version);
      expect(await verifiedStop({ ...d, settleMs: 500 }, 'scraper_lafa', 'jira__SCR-7__1')).toEqual({ kind: 'confirmed', rounds: 2, tasksMarked: 0 });
      expect(d.clock.sleeps).toEqual([500, 500]);
      scope.done();
    });

    it('gives up after maxRounds, saying the state it last read', async () => {
      const scope = api.get(RUN).reply(200, run('queued'));
      for (let round = 0; round < 2; round++) {
        scope.patch(RUN).reply(200, run('failed')).get(TASKS).query(true).reply(200, taskList(task('run_pipeline', 'queued')));
        scope.patch(`${TASKS}/run_pipeline`).reply(version === 'v1' ? 400 : 409, { detail: 'no' }).get(RUN).reply(200, run('running'));
      }
      const outcome = await verifiedStop({ ...deps(version), maxRounds: 2 }, 'scraper_lafa', 'jira__SCR-7__1');
      expect(outcome).toEqual({ kind: 'unconfirmed', rounds: 2, state: 'running', tasksMarked: 0 });
      scope.done();
    });

    it('stops trying when the run finished successfully before the stop took', async () => {
      const scope = api
        .get(RUN).reply(200, run('running'))
        .patch(RUN).reply(200, run('failed'))
        .get(TASKS).query(true).reply(200, taskList(task('run_pipeline', 'success')))
        .get(RUN).reply(200, run('success'));
      expect(await verifiedStop(deps(version), 'scraper_lafa', 'jira__SCR-7__1')).toEqual({ kind: 'unconfirmed', rounds: 1, state: 'success', tasksMarked: 0 });
      scope.done();
    });

    it('addresses a mapped task instance by its map index and reads every page of task instances', async () => {
      const mapped = Array.from({ length: 100 }, (_, i) => task('fetch', i === 7 ? 'running' : 'success', i));
      const scope = api
        .get(RUN).reply(200, run('running'))
        .patch(RUN).reply(200, run('failed'))
        .get(TASKS).query({ limit: '100', offset: '0' }).reply(200, { task_instances: mapped, total_entries: 101 })
        .get(TASKS).query({ limit: '100', offset: '100' }).reply(200, { task_instances: [task('run_pipeline', 'up_for_retry')], total_entries: 101 })
        .patch(`${TASKS}/fetch/7`).reply(200, {})
        .patch(`${TASKS}/run_pipeline`).reply(200, {})
        .get(RUN).reply(200, run('failed'));
      expect(await verifiedStop(deps(version), 'scraper_lafa', 'jira__SCR-7__1')).toEqual({ kind: 'confirmed', rounds: 1, tasksMarked: 2 });
      scope.done();
    });

    it('answers not-found when the run disappears during the stop', async () => {
      const scope = api.get(RUN).reply(200, run('running')).patch(RUN).reply(404, { detail: 'gone' });
      expect(await verifiedStop(deps(version), 'scraper_lafa', 'jira__SCR-7__1')).toEqual({ kind: 'not-found' });
      scope.done();
    });

    it('lets an auth failure through as an UpstreamError', async () => {
      const scope = api.get(RUN).reply(200, run('running')).patch(RUN).reply(403, { detail: 'forbidden' });
      const error = await verifiedStop(deps(version), 'scraper_lafa', 'jira__SCR-7__1').catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(UpstreamError);
      expect((error as UpstreamError).kind).toBe('auth');
      scope.done();
    });
  });
});

describe('verifiedStop against the Airflow sim that overwrites the first stop', () => {
  let sim: AirflowSim | undefined;
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });

  describe.each(['v1', 'v2'] as const)('%s', (version) => {
    /** A running run on a sim whose clock is the product's: each wait the stop asks for moves the sim on. */
    async function runningRun(): Promise<{ d: VerifiedStopDeps & { clock: FakeClock }; airflow: AirflowSim }> {
      const clock = fakeClock(NOW, { sleepAdvances: true });
      const airflow = await startAirflowSim({
        apiVersion: version,
        now: () => clock.now().getTime(),
        clobberFirstStop: true,
        timing: { queuedMs: 1000, runningMs: 600_000 },
        tokens: [SIM_TOKEN],
      });
      sim = airflow;
      const d = deps(version, { simUrl: airflow.url, clock });
      const trigger = version === 'v1' ? { dag_run_id: 'jira__SCR-7__1', conf: {} } : { dag_run_id: 'jira__SCR-7__1', logical_date: null, conf: {} };
      await d.client.send({ method: 'POST', path: '/dags/scraper_lafa/dagRuns', data: trigger }, z.unknown());
      clock.advance(5000);
      expect(airflow.run('scraper_lafa', 'jira__SCR-7__1')?.state).toBe('running');
      return { d, airflow };
    }

    it('a single PATCH does not hold: the run reads running again', async () => {
      const { d, airflow } = await runningRun();
      await d.client.send({ method: 'PATCH', path: RUN, data: { state: 'failed' } }, z.unknown());
      d.clock.advance(2000);
      expect(airflow.run('scraper_lafa', 'jira__SCR-7__1')?.state).toBe('running');
    });

    it('verifiedStop marks the running task failed too, and the stop holds', async () => {
      const { d, airflow } = await runningRun();
      expect(await verifiedStop(d, 'scraper_lafa', 'jira__SCR-7__1')).toEqual({ kind: 'confirmed', rounds: 1, tasksMarked: 1 });
      d.clock.advance(3_600_000);
      expect(airflow.run('scraper_lafa', 'jira__SCR-7__1')?.state).toBe('failed');
      const writes = airflow.log.entries.filter((entry) => entry.method === 'PATCH').map((entry) => `${entry.path} ${entry.status}`);
      expect(writes).toEqual([`/api/${version}${RUN} 200`, `/api/${version}${TASKS}/run_pipeline 200`]);
    });

    it('a second stop of an ended run changes nothing', async () => {
      const { d, airflow } = await runningRun();
      await verifiedStop(d, 'scraper_lafa', 'jira__SCR-7__1');
      const patches = airflow.log.entries.filter((entry) => entry.method === 'PATCH').length;
      expect(await verifiedStop(d, 'scraper_lafa', 'jira__SCR-7__1')).toEqual({ kind: 'already-ended', state: 'failed' });
      expect(airflow.log.entries.filter((entry) => entry.method === 'PATCH')).toHaveLength(patches);
      expect(await verifiedStop(d, 'scraper_lafa', 'jira__SCR-404__1')).toEqual({ kind: 'not-found' });
    });
  });
});
