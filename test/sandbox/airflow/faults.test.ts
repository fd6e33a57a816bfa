import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, VERSIONS, type SimHarness } from './helpers.js';

describe('fault injection and the request log', () => {
  let h: SimHarness;
  afterEach(async () => {
    await h.sim.close();
  });

  describe.each(VERSIONS)('%s', (version) => {
    it('answers an injected 503 with Retry-After once, then serves normally; both are logged', async () => {
      h = await startHarness(version);
      h.sim.faults.inject({ fault: { kind: 'status', status: 503, retryAfter: '2' }, method: 'POST', path: `${h.api}/dags/scraper_lafa/dagRuns`, times: 1 });
      const failed = await h.trigger('scraper_lafa', 'r1');
      expect(failed.status).toBe(503);
      expect(failed.headers.get('retry-after')).toBe('2');
      expect(h.sim.runs()).toHaveLength(0);
      expect((await h.trigger('scraper_lafa', 'r1')).status).toBe(200);
      expect(h.sim.log.count('POST', `${h.api}/dags/:dagId/dagRuns`)).toBe(2);
      expect(h.sim.log.entries.map((entry) => entry.status)).toEqual([503, 200]);
    });

    it('resets the connection on a reset fault and sends a truncated body on a malformed fault', async () => {
      h = await startHarness(version);
      h.sim.faults.inject({ fault: { kind: 'reset' }, path: `${h.api}/dags/scraper_lafa`, times: 1 });
      await expect(h.call('GET', '/dags/scraper_lafa')).rejects.toThrow();
      h.sim.faults.inject({ fault: { kind: 'malformed' }, path: /\/dagRuns\/r1$/, times: 1 });
      const reply = await h.call('GET', '/dags/scraper_lafa/dagRuns/r1');
      expect(reply.status).toBe(200);
      expect(typeof reply.body).toBe('string');
      expect((await h.call('GET', '/dags/scraper_lafa')).status).toBe(200);
    });
  });
});
