import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, VERSIONS, type SimHarness } from './helpers.js';

describe('DAG endpoints', () => {
  let h: SimHarness;
  afterEach(async () => {
    await h.sim.close();
  });

  it('v1 shows is_paused and is_active; v2 shows is_paused, is_stale and dag_display_name', async () => {
    h = await startHarness('v1');
    expect((await h.call('GET', '/dags/scraper_alfabeta')).body).toMatchObject({ dag_id: 'scraper_alfabeta', is_paused: false, is_active: true });
    await h.sim.close();
    h = await startHarness('v2');
    const v2 = (await h.call('GET', '/dags/scraper_alfabeta')).body;
    expect(v2).toMatchObject({ dag_id: 'scraper_alfabeta', dag_display_name: 'scraper_alfabeta', is_paused: false, is_stale: false });
    expect(v2).not.toHaveProperty('is_active');
  });

  describe.each(VERSIONS)('%s', (version) => {
    it('answers 404 to an unknown DAG in the version’s error shape', async () => {
      h = await startHarness(version);
      const reply = await h.call('GET', '/dags/scraper_nope');
      expect(reply.status).toBe(404);
      if (version === 'v1') expect(Object.keys(reply.body).sort()).toEqual(['detail', 'status', 'title', 'type']);
      else expect(reply.body).toEqual({ detail: 'The Dag with ID: `scraper_nope` was not found' });
    });

    it('pauses a DAG with PATCH is_paused (update_mask optional) and lists DAGs', async () => {
      h = await startHarness(version);
      const paused = await h.call('PATCH', '/dags/scraper_quebec?update_mask=is_paused', { is_paused: true });
      expect(paused.status).toBe(200);
      expect(paused.body.is_paused).toBe(true);
      expect((await h.call('GET', '/dags/scraper_quebec')).body.is_paused).toBe(true);
      const list = await h.call('GET', '/dags?paused=true');
      expect(list.body).toMatchObject({ total_entries: 1, dags: [{ dag_id: 'scraper_quebec' }] });
      expect((await h.call('GET', '/dags')).body.total_entries).toBe(3);
      expect((await h.call('PATCH', '/dags/scraper_nope', { is_paused: true })).status).toBe(404);
    });

    it('follows addDag, setPaused and removeDag made by a test', async () => {
      h = await startHarness(version, { dags: [] });
      h.sim.addDag('scraper_new', { isPaused: true });
      expect((await h.call('GET', '/dags/scraper_new')).body.is_paused).toBe(true);
      h.sim.setPaused('scraper_new', false);
      expect((await h.call('GET', '/dags/scraper_new')).body.is_paused).toBe(false);
      h.sim.removeDag('scraper_new');
      expect((await h.call('GET', '/dags/scraper_new')).status).toBe(404);
      expect(() => h.sim.setPaused('scraper_new', true)).toThrow(/no DAG 'scraper_new'/);
    });
  });
});
