import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, VERSIONS, type SimHarness } from './helpers.js';

const timing = { queuedMs: 1000, runningMs: 60_000 };
const RUN = '/dags/scraper_lafa/dagRuns/r1';
const TASK = `${RUN}/taskInstances/run_pipeline`;

describe('stopping a run, with and without the scheduler overwriting the stop', () => {
  let h: SimHarness;
  afterEach(async () => {
    await h.sim.close();
  });

  describe.each(VERSIONS)('%s', (version) => {
    /** The body that sets run_pipeline's state; Airflow 2 only changes anything with dry_run false. */
    const taskState = (state: string): Record<string, unknown> => (version === 'v1' ? { new_state: state, dry_run: false } : { new_state: state });
    const runState = async (): Promise<string> => (await h.call('GET', RUN)).body.state;
    const taskNow = async (): Promise<string | null> => (await h.call('GET', `${RUN}/taskInstances`)).body.task_instances[0].state;

    async function runningRun(clobberFirstStop: boolean): Promise<void> {
      h = await startHarness(version, { timing, clobberFirstStop });
      await h.trigger('scraper_lafa', 'r1');
      h.clock.advance(2000);
      expect(await runState()).toBe('running');
    }

    it('without clobber, one PATCH stops the run and its task for good', async () => {
      await runningRun(false);
      expect((await h.call('PATCH', RUN, { state: 'failed' })).body.state).toBe('failed');
      h.clock.advance(120_000);
      expect(await runState()).toBe('failed');
      expect(await taskNow()).toBe('failed');
    });

    it('with clobber, the first stop answers failed, then the scheduler sets the run running again while its task runs', async () => {
      await runningRun(true);
      const stopped = await h.call('PATCH', RUN, { state: 'failed' });
      expect(stopped.body.state).toBe('failed');
      expect(await runState()).toBe('running');
      expect((await h.call('GET', RUN)).body.end_date).toBeNull();
      expect(await taskNow()).toBe('running');
      // Left alone, the run carries on to its planned end.
      h.clock.advance(120_000);
      expect(await runState()).toBe('success');
    });

    it('with clobber, a second PATCH sticks', async () => {
      await runningRun(true);
      await h.call('PATCH', RUN, { state: 'failed' });
      expect(await runState()).toBe('running');
      await h.call('PATCH', RUN, { state: 'failed' });
      h.clock.advance(120_000);
      expect(await runState()).toBe('failed');
    });

    it('with clobber, marking the running task instance failed makes the stop stick, without a result', async () => {
      await runningRun(true);
      await h.call('PATCH', RUN, { state: 'failed' });
      expect(await taskNow()).toBe('running');
      const marked = await h.call('PATCH', TASK, taskState('failed'));
      expect(marked.status).toBe(200);
      h.clock.advance(120_000);
      expect(await runState()).toBe('failed');
      expect(await taskNow()).toBe('failed');
      expect((await h.call('GET', `${TASK}/xcomEntries/return_value`)).status).toBe(404);
    });

    it('does not clobber the stop of a queued run: no task is running yet', async () => {
      h = await startHarness(version, { timing, clobberFirstStop: true });
      await h.trigger('scraper_lafa', 'r1');
      await h.call('PATCH', RUN, { state: 'failed' });
      h.clock.advance(120_000);
      expect(await runState()).toBe('failed');
    });

    it('marking the task of a running run success ends the run success; a finished run keeps its state', async () => {
      await runningRun(false);
      await h.call('PATCH', TASK, taskState('success'));
      expect(await runState()).toBe('success');
      await h.call('PATCH', TASK, taskState('failed'));
      expect(await runState()).toBe('success');
      expect(await taskNow()).toBe('failed');
    });

    it('answers 404 for an unknown DAG, task or run', async () => {
      await runningRun(false);
      expect((await h.call('PATCH', '/dags/nope/dagRuns/r1/taskInstances/run_pipeline', taskState('failed'))).status).toBe(404);
      expect((await h.call('PATCH', `${RUN}/taskInstances/other_task`, taskState('failed'))).status).toBe(404);
      expect((await h.call('PATCH', '/dags/scraper_lafa/dagRuns/zz/taskInstances/run_pipeline', taskState('failed'))).status).toBe(404);
      expect(await runState()).toBe('running');
    });

    it('refuses a task state outside success/failed/skipped', async () => {
      await runningRun(false);
      expect((await h.call('PATCH', TASK, taskState('running'))).status).toBe(version === 'v1' ? 400 : 422);
      expect(await runState()).toBe('running');
    });
  });

  describe('v1', () => {
    it('PATCH of a task instance is a dry run unless dry_run is false, and answers a reference', async () => {
      h = await startHarness('v1', { timing });
      await h.trigger('scraper_lafa', 'r1');
      h.clock.advance(2000);
      const dry = await h.call('PATCH', TASK, { new_state: 'failed' });
      expect(dry.body).toEqual({ task_id: 'run_pipeline', dag_id: 'scraper_lafa', dag_run_id: 'r1', execution_date: '2025-01-05T10:00:00+00:00' });
      expect((await h.call('GET', RUN)).body.state).toBe('running');
    });

    it('POST updateTaskInstancesState sets the state by dag_run_id, listing only the instances it changes', async () => {
      h = await startHarness('v1', { timing, clobberFirstStop: true });
      await h.trigger('scraper_lafa', 'r1');
      h.clock.advance(2000);
      await h.call('PATCH', RUN, { state: 'failed' });
      const body = { dag_run_id: 'r1', task_id: 'run_pipeline', new_state: 'failed', dry_run: false };
      const changed = await h.call('POST', '/dags/scraper_lafa/updateTaskInstancesState', body);
      expect(changed.body.task_instances.map((ti: { task_id: string }) => ti.task_id)).toEqual(['run_pipeline']);
      expect((await h.call('POST', '/dags/scraper_lafa/updateTaskInstancesState', body)).body.task_instances).toEqual([]);
      h.clock.advance(120_000);
      expect((await h.call('GET', RUN)).body.state).toBe('failed');
    });

    it('POST updateTaskInstancesState finds the run by execution_date, wants exactly one of the two, and 404s an unknown run', async () => {
      h = await startHarness('v1', { timing });
      await h.trigger('scraper_lafa', 'r1');
      h.clock.advance(2000);
      const path = '/dags/scraper_lafa/updateTaskInstancesState';
      const byDate = await h.call('POST', path, { execution_date: '2025-01-05T10:00:00+00:00', task_id: 'run_pipeline', new_state: 'skipped', dry_run: false });
      expect(byDate.body.task_instances).toHaveLength(1);
      expect((await h.call('GET', RUN)).body.state).toBe('success');
      expect((await h.call('POST', path, { task_id: 'run_pipeline', new_state: 'failed' })).status).toBe(400);
      expect((await h.call('POST', path, { dag_run_id: 'zz', task_id: 'run_pipeline', new_state: 'failed' })).status).toBe(404);
    });
  });

  describe('v2', () => {
    it('answers the changed task instance in a collection, 409 when it already has the state, and keeps a note', async () => {
      h = await startHarness('v2', { timing });
      await h.trigger('scraper_lafa', 'r1');
      h.clock.advance(2000);
      const marked = await h.call('PATCH', TASK, { new_state: 'failed', note: 'stopped by the reconciler' });
      expect(marked.body.total_entries).toBe(1);
      expect(marked.body.task_instances[0]).toMatchObject({ task_id: 'run_pipeline', state: 'failed', note: 'stopped by the reconciler' });
      expect((await h.call('PATCH', TASK, { new_state: 'failed' })).status).toBe(409);
      expect((await h.call('PATCH', `${TASK}?update_mask=bogus`, { note: 'x' })).status).toBe(400);
      expect((await h.call('PATCH', TASK, { new_state: 'failed', extra: 1 })).status).toBe(422);
    });
  });
});
