import { describe, expect, it } from 'vitest';
import { UpstreamError } from '../../src/http/errors.js';
import { asFeed } from '../../src/http/feed-first.js';
import { withRetry } from '../../src/http/retry.js';
import { fakeClock } from '../support/fake-clock.js';

const START = new Date('2025-01-05T12:00:00.000Z');

/** A read answered 503 `failures` times, then 200. */
function flaky(failures: number): { read: () => Promise<string>; attempts: () => number } {
  let attempts = 0;
  return {
    attempts: () => attempts,
    read: () => {
      attempts++;
      return attempts <= failures ? Promise.reject(new UpstreamError('jira', 'transient', 'jira answered HTTP 503', { status: 503 })) : Promise.resolve('page');
    },
  };
}

describe('a change feed read backs off no later than the next poll', () => {
  it('retries while its backoff ends before the next poll', async () => {
    const clock = fakeClock(START, { sleepAdvances: true });
    const feed = flaky(1);
    const page = await asFeed(() => withRetry('jira', feed.read, { clock, retries: 4 }), new Date(START.getTime() + 10_000));
    expect(page).toBe('page');
    expect(clock.sleeps).toEqual([2_000]);
  });

  it('gives the read up, unsent again, when its backoff would end after the next poll, which reads the feed again', async () => {
    const clock = fakeClock(START, { sleepAdvances: true });
    const feed = flaky(5);
    const until = new Date(START.getTime() + 5_000);
    const error = await asFeed(() => withRetry('jira', feed.read, { clock, retries: 4 }), until).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as Error).message).toBe('jira answered HTTP 503');
    // 2 s, then 4 s more would end at 6 s, past the poll at 5 s.
    expect(clock.sleeps).toEqual([2_000]);
    expect(feed.attempts()).toBe(2);
  });

  it('keeps its full backoff outside a daemon pass (no next poll) and for ticket work', async () => {
    const clock = fakeClock(START, { sleepAdvances: true });
    const oneShot = flaky(2);
    expect(await asFeed(() => withRetry('jira', oneShot.read, { clock, retries: 4 }))).toBe('page');
    const ticket = flaky(2);
    expect(await withRetry('jira', ticket.read, { clock, retries: 4 })).toBe('page');
    expect(clock.sleeps).toEqual([2_000, 4_000, 2_000, 4_000]);
  });

  it('leaves a Retry-After to the gate, as for any request', async () => {
    const clock = fakeClock(START, { sleepAdvances: true });
    let attempts = 0;
    const throttled = (): Promise<string> =>
      ++attempts === 1 ? Promise.reject(new UpstreamError('jira', 'rate_limited', 'jira answered HTTP 429', { status: 429, retryAfterMs: 30_000 })) : Promise.resolve('page');
    expect(await asFeed(() => withRetry('jira', throttled, { clock, retries: 4 }), new Date(START.getTime() + 1_000))).toBe('page');
    expect(clock.sleeps).toEqual([30_000]);
  });
});
