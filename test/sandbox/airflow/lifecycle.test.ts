import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, VERSIONS, type SimHarness } from './helpers.js';

const timing = { queuedMs: 1000, runningMs: 3000 };

describe('run lifecycle on the sim clock', () => {
  let h: SimHarness;
  afterEach(async () => {
    await h.sim.close();
  });

  describe.each(VERSIONS)('%s', (version) => {
    const get = (dagRunId: string) => h.call('GET', `/dags/scraper_lafa/dagRuns/${dagRunId}`);

    it('moves queued → running → success as the clock passes, dating each step when it was due', async () => {
      h = await startHarness(version, { timing });
      await h.trigger('scraper_lafa', 'r1');
      h.clock.advance(999);
      expect((await get('r1')).body.state).toBe('queued');
      h.clock.advance(1);
      const running = (await get('r1')).body;
      expect(running.state).toBe('running');
      expect(running.start_date).toMatch(/^2025-01-05T10:00:01/);
      h.clock.advance(10_000);
      const done = (await get('r1')).body;
      expect(done.state).toBe('success');
      expect(done.end_date).toMatch(/^2025-01-05T10:00:04/);
    });

    it('answers 404 to an unknown run', async () => {
      h = await startHarness(version);
      expect((await get('nope')).status).toBe(404);
    });

    it('keeps a run on a paused DAG queued until the DAG is unpaused through the API', async () => {
      h = await startHarness(version, { timing, dags: [{ dagId: 'scraper_lafa', isPaused: true }] });
      await h.trigger('scraper_lafa', 'r1');
      h.clock.advance(60_000);
      expect((await get('r1')).body.state).toBe('queued');
      const unpause = await h.call('PATCH', '/dags/scraper_lafa', { is_paused: false });
      expect(unpause.body.is_paused).toBe(false);
      h.clock.advance(1000);
      expect((await get('r1')).body.state).toBe('running');
      h.clock.advance(3000);
      expect((await get('r1')).body.state).toBe('success');
    });

    it('ends a run the way it was planned: failed, with the error in its result and its own duration', async () => {
      h = await startHarness(version, { timing });
      h.sim.plan({ dagRunId: 'r2' }, { state: 'failed', errorText: 'Site returned 503', durationMs: 500 });
      await h.trigger('scraper_lafa', 'r1');
      await h.trigger('scraper_lafa', 'r2');
      h.clock.advance(1500);
      expect(h.sim.run('scraper_lafa', 'r2')).toMatchObject({ state: 'failed', result: { item_count: 0, error: 'Site returned 503' } });
      expect(h.sim.run('scraper_lafa', 'r1')?.state).toBe('running');
      h.clock.advance(3000);
      expect(h.sim.run('scraper_lafa', 'r1')).toMatchObject({ state: 'success', result: { run_id: expect.stringMatching(/^RUN-2025-01-05-\d{4}$/), error: null } });
    });

    it('applies plans by DAG and conf, newest first, and honours times', async () => {
      h = await startHarness(version, { timing });
      h.sim.plan({ dagId: 'scraper_lafa' }, { state: 'failed' });
      h.sim.plan({ confMatch: { jira_issue_key: 'SCR-9' } }, { state: 'success', result: { run_id: 'X', item_count: 9, error: null } }, { times: 1 });
      await h.trigger('scraper_lafa', 'a', { conf: { jira_issue_key: 'SCR-9' } });
      await h.trigger('scraper_lafa', 'b', { conf: { jira_issue_key: 'SCR-9' } });
      await h.trigger('scraper_quebec', 'c');
      h.clock.advance(5000);
      expect(h.sim.run('scraper_lafa', 'a')).toMatchObject({ state: 'success', result: { run_id: 'X' } });
      expect(h.sim.run('scraper_lafa', 'b')?.state).toBe('failed');
      expect(h.sim.run('scraper_quebec', 'c')?.state).toBe('success');
    });

    it('stops a running run with PATCH state=failed and starts it over with state=queued', async () => {
      h = await startHarness(version, { timing });
      await h.trigger('scraper_lafa', 'r1');
      h.clock.advance(2000);
      const stopped = await h.call('PATCH', '/dags/scraper_lafa/dagRuns/r1', { state: 'failed' });
      expect(stopped.status).toBe(200);
      expect(stopped.body).toMatchObject({ state: 'failed', end_date: expect.stringMatching(/^2025-01-05T10:00:02/) });
      h.clock.advance(10_000);
      expect((await get('r1')).body.state).toBe('failed');
      expect((await h.call('GET', '/dags/scraper_lafa/dagRuns/r1/taskInstances/run_pipeline/xcomEntries/return_value')).status).toBe(404);
      const requeued = await h.call('PATCH', '/dags/scraper_lafa/dagRuns/r1', { state: 'queued' });
      expect(requeued.body).toMatchObject({ state: 'queued', start_date: null, end_date: null });
      h.clock.advance(4000);
      expect((await get('r1')).body.state).toBe('success');
    });

    it('stops a queued run without ever starting it: no start date, its task skipped', async () => {
      h = await startHarness(version, { timing });
      await h.trigger('scraper_lafa', 'r1');
      const stopped = await h.call('PATCH', '/dags/scraper_lafa/dagRuns/r1', { state: 'failed' });
      expect(stopped.body).toMatchObject({ state: 'failed', start_date: null, end_date: expect.stringMatching(/^2025-01-05T10:00:00/) });
      h.clock.advance(10_000);
      expect((await h.call('GET', '/dags/scraper_lafa/dagRuns/r1/taskInstances')).body.task_instances[0].state).toBe('skipped');
    });

    it('refuses a PATCH state outside success/failed/queued, and answers 404 to an unknown run', async () => {
      h = await startHarness(version);
      await h.trigger('scraper_lafa', 'r1');
      expect((await h.call('PATCH', '/dags/scraper_lafa/dagRuns/r1', { state: 'running' })).status).toBe(version === 'v1' ? 400 : 422);
      expect((await h.call('PATCH', '/dags/scraper_lafa/dagRuns/zz', { state: 'failed' })).status).toBe(404);
    });

    it('lists the run_pipeline task instance whose state follows the run', async () => {
      h = await startHarness(version, { timing });
      await h.trigger('scraper_lafa', 'r1');
      const states: unknown[] = [];
      for (const step of [0, 1000, 3000]) {
        h.clock.advance(step);
        const reply = await h.call('GET', '/dags/scraper_lafa/dagRuns/r1/taskInstances');
        expect(reply.body.total_entries).toBe(1);
        expect(reply.body.task_instances[0].task_id).toBe('run_pipeline');
        states.push(reply.body.task_instances[0].state);
      }
      expect(states).toEqual([null, 'running', 'success']);
    });
  });

  it('removeDag makes the DAG and its runs unknown', async () => {
    h = await startHarness('v1');
    await h.trigger('scraper_lafa', 'r1');
    h.sim.removeDag('scraper_lafa');
    expect((await h.call('GET', '/dags/scraper_lafa')).status).toBe(404);
    expect((await h.call('GET', '/dags/scraper_lafa/dagRuns/r1')).status).toBe(404);
  });
});
