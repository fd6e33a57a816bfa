import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type SimHarness } from './helpers.js';

describe('throughput', () => {
  let h: SimHarness;
  afterEach(async () => {
    await h.sim.close();
  });

  it('answers 2,000 concurrent requests, 50 at a time, every one', { timeout: 180_000 }, async () => {
    h = await startHarness('v2');
    for (let i = 0; i < 20; i++) await h.trigger('scraper_lafa', `r${i}`);
    const total = 2000;
    const statuses: number[] = [];
    let next = 0;
    async function worker(): Promise<void> {
      while (next < total) {
        const i = next++;
        const reply = i % 2 === 0 ? await h.call('GET', `/dags/scraper_lafa/dagRuns/r${i % 20}`) : await h.call('POST', '/dags/~/dagRuns/list', { dag_ids: ['scraper_lafa'] });
        statuses.push(reply.status);
      }
    }
    await Promise.all(Array.from({ length: 50 }, worker));
    expect(statuses).toHaveLength(total);
    expect(statuses.filter((status) => status === 200)).toHaveLength(total);
    expect(h.sim.log.count()).toBe(total + 20);
  });
});
