import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, VERSIONS, type SimHarness } from './helpers.js';

describe('triggering DAG runs', () => {
  let h: SimHarness;
  afterEach(async () => {
    await h.sim.close();
  });

  describe.each(VERSIONS)('%s', (version) => {
    it('answers the new run: queued, manual, with its conf and no start date yet', async () => {
      h = await startHarness(version);
      const reply = await h.trigger('scraper_alfabeta', 'jira__SCR-12__1', { conf: { source: 'alfabeta', params: { a: 1 } }, note: 'from Jira' });
      expect(reply.status).toBe(200);
      expect(reply.body).toMatchObject({
        dag_id: 'scraper_alfabeta',
        dag_run_id: 'jira__SCR-12__1',
        state: 'queued',
        run_type: 'manual',
        conf: { source: 'alfabeta', params: { a: 1 } },
        note: 'from Jira',
        start_date: null,
        end_date: null,
      });
      expect(h.sim.run('scraper_alfabeta', 'jira__SCR-12__1')?.state).toBe('queued');
    });

    it('answers 409 to a duplicate dag_run_id and keeps one run', async () => {
      h = await startHarness(version);
      expect((await h.trigger('scraper_lafa', 'jira__SCR-1__1')).status).toBe(200);
      const again = await h.trigger('scraper_lafa', 'jira__SCR-1__1');
      expect(again.status).toBe(409);
      expect(h.sim.runs()).toHaveLength(1);
    });

    it('answers 404 to an unknown DAG', async () => {
      h = await startHarness(version);
      const reply = await h.trigger('scraper_nowhere', 'jira__SCR-1__1');
      expect(reply.status).toBe(404);
      if (version === 'v1') expect(reply.body).toMatchObject({ status: 404, title: 'DAG not found', type: expect.any(String) });
      else expect(reply.body.detail).toContain('scraper_nowhere');
    });

    it('refuses a dag_run_id outside ^[A-Za-z0-9_.~:+-]+$ (400 in v1, 422 in v2)', async () => {
      h = await startHarness(version);
      const reply = await h.trigger('scraper_lafa', 'jira SCR/1');
      expect(reply.status).toBe(version === 'v1' ? 400 : 422);
      expect(JSON.stringify(reply.body)).toContain('jira SCR/1');
      expect(h.sim.runs()).toHaveLength(0);
    });

    it('accepts a trigger on a paused DAG', async () => {
      h = await startHarness(version, { dags: [{ dagId: 'scraper_lafa', isPaused: true }] });
      const reply = await h.trigger('scraper_lafa', 'jira__SCR-1__1');
      expect(reply.status).toBe(200);
      expect(reply.body.state).toBe('queued');
    });
  });

  describe('v1 specifics', () => {
    it('accepts a body without logical_date and dates the run now', async () => {
      h = await startHarness('v1');
      const reply = await h.call('POST', '/dags/scraper_lafa/dagRuns', { dag_run_id: 'r1', conf: {} });
      expect(reply.status).toBe(200);
      expect(reply.body.logical_date).toBe('2025-01-05T10:00:00+00:00');
      expect(reply.body.execution_date).toBe(reply.body.logical_date);
    });

    it('refuses read-only fields and a conf that is not an object with 400', async () => {
      h = await startHarness('v1');
      expect((await h.call('POST', '/dags/scraper_lafa/dagRuns', { dag_run_id: 'r1', state: 'success' })).status).toBe(400);
      expect((await h.call('POST', '/dags/scraper_lafa/dagRuns', { dag_run_id: 'r1', conf: [1] })).status).toBe(400);
    });
  });

  describe('v2 specifics', () => {
    it('answers 422 with a FastAPI detail list when the logical_date key is missing', async () => {
      h = await startHarness('v2');
      const reply = await h.call('POST', '/dags/scraper_lafa/dagRuns', { dag_run_id: 'r1', conf: {} });
      expect(reply.status).toBe(422);
      expect(reply.body.detail).toEqual([expect.objectContaining({ type: 'missing', loc: ['body', 'logical_date'], msg: 'Field required' })]);
      expect(h.sim.runs()).toHaveLength(0);
    });

    it('accepts "logical_date": null and answers a run without logical date', async () => {
      h = await startHarness('v2');
      const reply = await h.trigger('scraper_lafa', 'r1');
      expect(reply.status).toBe(200);
      expect(reply.body).toMatchObject({ logical_date: null, run_after: '2025-01-05T10:00:00Z', dag_display_name: 'scraper_lafa' });
    });

    it('refuses unknown body keys with 422 extra_forbidden', async () => {
      h = await startHarness('v2');
      const reply = await h.trigger('scraper_lafa', 'r1', { execution_date: null });
      expect(reply.status).toBe(422);
      expect(reply.body.detail[0]).toMatchObject({ type: 'extra_forbidden', loc: ['body', 'execution_date'] });
    });
  });
});
