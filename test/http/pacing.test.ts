import axios from 'axios';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { observedAdapter } from '../../src/http/observed-adapter.js';
import { RateGate } from '../../src/http/rate-gate.js';
import { noopObserver } from '../../src/observability/upstream-observer.js';
import { RateLimiter } from '../../src/sandbox/common/rate-limits.js';
import { fakeClock } from '../support/fake-clock.js';
import { useNock } from '../support/nock.js';

const JIRA = 'https://paced.atlassian.net';
const START = new Date('2025-01-05T12:00:00.000Z');
const LATENCY_MS = 20;

/**
 * The gate against the enforcing simulator's buckets, on the injected clock: one client sends writes back
 * to back (five times what the bucket allows), each answer taking 20 ms. Counts, not wall time.
 */
async function drive(requests: number, limits: ConstructorParameters<typeof RateLimiter>[0]): Promise<{ admitted: number; refused: number; seconds: number }> {
  const clock = fakeClock(START, { sleepAdvances: true });
  const gate = new RateGate({ clock, concurrency: 4 });
  const limiter = new RateLimiter(limits, () => clock.now().getTime());
  const http = axios.create({ baseURL: JIRA, adapter: observedAdapter('jira', noopObserver, { gate, clock }), validateStatus: () => true });
  let admitted = 0;
  let refused = 0;
  nock(JIRA)
    .put(/\/rest\/api\/3\/issue\/SCR-\d+$/)
    .times(requests)
    .reply((uri) => {
      const key = /SCR-\d+/.exec(uri)?.[0] ?? null;
      const verdict = limiter.check({ method: 'PUT', path: uri, route: '/rest/api/3/issue/:key', issueKey: key });
      clock.advance(LATENCY_MS);
      if (verdict.kind === 'refused') {
        refused++;
        return [429, '{}', { 'retry-after': verdict.fault.retryAfter ?? '1', ...verdict.fault.headers }];
      }
      admitted++;
      return [204, '', verdict.headers];
    });
  for (let i = 0; i < requests; i++) await http.put(`/rest/api/3/issue/SCR-${i + 1}`, {});
  return { admitted, refused, seconds: (clock.now().getTime() - START.getTime()) / 1000 };
}

describe('pacing against an enforced limit', () => {
  useNock();

  it('sustains at least 80% of a 10 writes/s burst limit with at most 2% of requests answered 429', async () => {
    const { admitted, refused, seconds } = await drive(600, { writes: { perSecond: 10 } });
    const share = admitted / seconds / 10;
    expect(share).toBeGreaterThanOrEqual(0.8);
    expect(refused / 600).toBeLessThanOrEqual(0.02);
  });

  it('does as well against the tenant quota, which has its own reason and scope', async () => {
    const { admitted, refused, seconds } = await drive(600, { tenant: { perSecond: 10 } });
    expect(admitted / seconds / 10).toBeGreaterThanOrEqual(0.8);
    expect(refused / 600).toBeLessThanOrEqual(0.02);
  });
});
