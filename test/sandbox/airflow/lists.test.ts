import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, VERSIONS, type SimHarness } from './helpers.js';

describe('listing DAG runs', () => {
  let h: SimHarness;
  afterEach(async () => {
    await h.sim.close();
  });

  async function seed(count: number, dagId = 'scraper_lafa'): Promise<void> {
    for (let i = 1; i <= count; i++) {
      const reply = await h.trigger(dagId, `r${i}`);
      expect(reply.status).toBe(200);
      h.clock.advance(10);
    }
  }

  describe.each(VERSIONS)('%s', (version) => {
    it('pages the batch list by page_limit/page_offset, never more than 100 a page, with total_entries', async () => {
      h = await startHarness(version, { timing: { queuedMs: 0, runningMs: 1_000_000 } });
      await seed(130);
      const first = await h.call('POST', '/dags/~/dagRuns/list', { dag_ids: ['scraper_lafa'], page_limit: 500 });
      expect(first.status).toBe(200);
      expect(first.body.dag_runs).toHaveLength(100);
      expect(first.body.total_entries).toBe(130);
      const second = await h.call('POST', '/dags/~/dagRuns/list', { dag_ids: ['scraper_lafa'], page_limit: 100, page_offset: 100 });
      expect(second.body.dag_runs.map((run: { dag_run_id: string }) => run.dag_run_id)).toEqual(Array.from({ length: 30 }, (_, i) => `r${101 + i}`));
    });

    it('filters the batch list by dag_ids, states and start_date_gte (a queued run has no start date)', async () => {
      h = await startHarness(version, { timing: { queuedMs: 1000, runningMs: 1_000_000 } });
      await h.trigger('scraper_lafa', 'started');
      h.clock.advance(1000);
      await h.trigger('scraper_lafa', 'waiting');
      await h.trigger('scraper_quebec', 'other');
      const since = version === 'v1' ? '2025-01-05T10:00:00+00:00' : '2025-01-05T10:00:00Z';
      const byDate = await h.call('POST', '/dags/~/dagRuns/list', { dag_ids: ['scraper_lafa'], start_date_gte: since });
      expect(byDate.body.dag_runs.map((run: { dag_run_id: string }) => run.dag_run_id)).toEqual(['started']);
      const byState = await h.call('POST', '/dags/~/dagRuns/list', { states: ['queued'] });
      expect(byState.body.dag_runs.map((run: { dag_run_id: string }) => run.dag_run_id)).toEqual(['waiting', 'other']);
      const ordered = await h.call('POST', '/dags/~/dagRuns/list', { order_by: '-dag_run_id' });
      expect(ordered.body.dag_runs.map((run: { dag_run_id: string }) => run.dag_run_id)).toEqual(['waiting', 'started', 'other']);
    });

    it('pages GET dagRuns with limit/offset and filters by state', async () => {
      h = await startHarness(version, { timing: { queuedMs: 0, runningMs: 1_000_000 } });
      await seed(5);
      await seed(2, 'scraper_quebec');
      const page = await h.call('GET', '/dags/scraper_lafa/dagRuns?limit=2&offset=2');
      expect(page.body.total_entries).toBe(5);
      expect(page.body.dag_runs.map((run: { dag_run_id: string }) => run.dag_run_id)).toEqual(['r3', 'r4']);
      const all = await h.call('GET', '/dags/~/dagRuns?state=running&state=queued');
      expect(all.body.total_entries).toBe(7);
      expect((await h.call('GET', '/dags/~/dagRuns?state=success')).body.total_entries).toBe(0);
    });

    it('refuses a date filter without a timezone', async () => {
      h = await startHarness(version);
      const reply = await h.call('GET', '/dags/scraper_lafa/dagRuns?start_date_gte=2025-01-05T10:00:00');
      expect(reply.status).toBe(version === 'v1' ? 400 : 422);
    });
  });

  it('v2 refuses unknown batch keys with 422 and a dag_id other than ~ in the batch path', async () => {
    h = await startHarness('v2');
    expect((await h.call('POST', '/dags/~/dagRuns/list', { dag_ids: [], execution_date_gte: '2025-01-05T10:00:00Z' })).status).toBe(422);
    expect((await h.call('POST', '/dags/scraper_lafa/dagRuns/list', {})).status).toBe(422);
  });

  it('v2 answers 404 to GET dagRuns of an unknown DAG; v1 answers an empty list', async () => {
    h = await startHarness('v2');
    expect((await h.call('GET', '/dags/nope/dagRuns')).status).toBe(404);
    await h.sim.close();
    h = await startHarness('v1');
    expect((await h.call('GET', '/dags/nope/dagRuns')).body).toEqual({ dag_runs: [], total_entries: 0 });
  });
});
