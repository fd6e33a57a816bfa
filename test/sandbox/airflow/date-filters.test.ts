import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, VERSIONS, type SimHarness } from './helpers.js';

const timing = { queuedMs: 1000, runningMs: 3000 };
const ids = (reply: { body: { dag_runs: Array<{ dag_run_id: string }> } }): string[] => reply.body.dag_runs.map((run) => run.dag_run_id);

/**
 * Three runs on the sim clock from 10:00:00: `early` runs 10:00:01–10:00:04, `late` 10:00:11–10:00:14,
 * `stopped` is stopped while queued at 10:00:20 (an end date, no start date), `waiting` never starts.
 */
async function seed(h: SimHarness): Promise<void> {
  await h.trigger('scraper_lafa', 'early');
  h.clock.advance(10_000);
  await h.trigger('scraper_lafa', 'late');
  h.clock.advance(10_000);
  await h.trigger('scraper_lafa', 'stopped');
  await h.call('PATCH', '/dags/scraper_lafa/dagRuns/stopped', { state: 'failed' });
  h.sim.setPaused('scraper_lafa', true);
  await h.trigger('scraper_lafa', 'waiting');
  h.clock.advance(60_000);
}

describe('date filters on run lists, dated by the sim clock', () => {
  let h: SimHarness;
  afterEach(async () => {
    await h.sim.close();
  });

  describe.each(VERSIONS)('%s', (version) => {
    const at = (time: string): string => `2025-01-05T${time}${version === 'v1' ? '+00:00' : 'Z'}`;
    const list = (filters: Record<string, string>) => h.call('POST', '/dags/~/dagRuns/list', { dag_ids: ['scraper_lafa'], ...filters });
    const get = (filters: Record<string, string>) => h.call('GET', `/dags/scraper_lafa/dagRuns?${new URLSearchParams(filters).toString()}`);

    it.each([
      ['start_date_gte', '10:00:05', ['late']],
      ['start_date_lte', '10:00:05', ['early']],
      ['end_date_gte', '10:00:14', ['late', 'stopped']],
      ['end_date_lte', '10:00:14', ['early', 'late']],
    ])('%s %s selects %j in the batch list and in GET dagRuns', async (filter, time, expected) => {
      h = await startHarness(version, { timing });
      await seed(h);
      expect(ids(await list({ [filter]: at(time) }))).toEqual(expected);
      expect(ids(await get({ [filter]: at(time) }))).toEqual(expected);
    });

    it('combines a start range with an end range: the runs that started and ended inside', async () => {
      h = await startHarness(version, { timing });
      await seed(h);
      const window = { start_date_gte: at('10:00:00'), start_date_lte: at('10:00:20'), end_date_gte: at('10:00:10'), end_date_lte: at('10:00:30') };
      expect(ids(await list(window))).toEqual(['late']);
      expect(ids(await get(window))).toEqual(['late']);
    });

    it('filters GET dagRuns by updated_at_gte, which the batch list does not take', async () => {
      h = await startHarness(version, { timing });
      await seed(h);
      expect(ids(await get({ updated_at_gte: at('10:00:12') }))).toEqual(['late', 'stopped', 'waiting']);
      expect((await list({ updated_at_gte: at('10:00:12') })).status).toBe(version === 'v1' ? 400 : 422);
    });
  });
});
