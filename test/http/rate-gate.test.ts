import { describe, expect, it } from 'vitest';
import { AdaptiveLimit } from '../../src/http/adaptive-limit.js';
import { asFeed } from '../../src/http/feed-first.js';
import { RateGate } from '../../src/http/rate-gate.js';
import { fakeClock } from '../support/fake-clock.js';

const START = new Date('2025-01-05T12:00:00.000Z');

describe('RateGate', () => {
  it('holds every request to the upstream until a tenant-wide Retry-After expires, and counts the time held', async () => {
    const clock = fakeClock(START, { sleepAdvances: true });
    const held: number[] = [];
    const gate = new RateGate({ clock, concurrency: 4, onThrottled: (s) => held.push(s) });
    gate.hold({ kind: 'tenant' }, START.getTime() + 3_000);

    const release = await gate.admit({ write: false });
    release();

    expect(clock.sleeps).toEqual([3_000]);
    expect(held).toEqual([3]);
    expect(clock.now().getTime()).toBe(START.getTime() + 3_000);
  });

  it("holds only that issue's writes for Jira's per-issue write limit", async () => {
    const clock = fakeClock(START, { sleepAdvances: true });
    const gate = new RateGate({ clock, concurrency: 4 });
    gate.hold({ kind: 'issue', issue: 'SCR-1' }, START.getTime() + 2_000);

    (await gate.admit({ issue: 'SCR-2', write: true }))();
    (await gate.admit({ issue: 'SCR-1', write: false }))();
    expect(clock.sleeps).toEqual([]);

    (await gate.admit({ issue: 'SCR-1', write: true }))();
    expect(clock.sleeps).toEqual([2_000]);
  });

  it('lets nothing through before the hold ends, even a request that was waiting for a slot when it began', async () => {
    const clock = fakeClock(START, { sleepAdvances: true });
    const gate = new RateGate({ clock, concurrency: 1 });
    const first = await gate.admit({ write: false });
    const admitted: number[] = [];
    const second = gate.admit({ write: false }).then((release) => {
      admitted.push(clock.now().getTime());
      release();
    });
    gate.hold({ kind: 'tenant' }, START.getTime() + 5_000);
    first();
    await second;
    expect(admitted).toEqual([START.getTime() + 5_000]);
  });

  it('a hold waited out on a clock that does not move is not waited again', async () => {
    const clock = fakeClock(START);
    const gate = new RateGate({ clock, concurrency: 2 });
    gate.hold({ kind: 'tenant' }, START.getTime() + 7_000);
    (await gate.admit({ write: true }))();
    expect(clock.sleeps).toEqual([7_000]);
  });
});

describe('RateGate: the change feeds go first', () => {
  it("a feed's request takes the next free slot ahead of ticket requests already waiting for one", async () => {
    const clock = fakeClock(START, { sleepAdvances: true });
    const gate = new RateGate({ clock, concurrency: 1 });
    const busy = await gate.admit({ write: true });
    const order: string[] = [];
    const waiting = ['SCR-1', 'SCR-2', 'SCR-3'].map((issue) =>
      gate.admit({ issue, write: true, endpoint: 'PUT /rest/api/3/issue/{key}' }).then((release) => {
        order.push(issue);
        release();
      }),
    );
    const feed = asFeed(() => gate.admit({ write: false, endpoint: 'POST /rest/api/3/search/jql' })).then((release) => {
      order.push('search');
      release();
    });
    // Every request is in the line for the one slot before it frees.
    await new Promise((resolve) => setImmediate(resolve));
    busy();
    await Promise.all([...waiting, feed]);
    expect(order).toEqual(['search', 'SCR-1', 'SCR-2', 'SCR-3']);
  });

  it("a feed's request is not paced behind the ticket requests that reserved the pace before it, and is held like any other", async () => {
    const clock = fakeClock(START);
    const gate = new RateGate({ clock, concurrency: 8 });
    // Ten requests 100 ms apart, then a NearLimit: the upstream's pace is 8 a second, 125 ms a request.
    for (let i = 0; i < 10; i++) {
      (await gate.admit({ write: false }))();
      clock.advance(100);
    }
    gate.nearLimit({ kind: 'tenant' }, clock.now().getTime());
    const tickets = await Promise.all([gate.admit({ write: true }), gate.admit({ write: true }), gate.admit({ write: true })]);
    for (const release of tickets) release();
    expect(clock.sleeps).toEqual([125, 250]);

    (await asFeed(() => gate.admit({ write: false })))();
    expect(clock.sleeps).toEqual([125, 250]);
    (await gate.admit({ write: true }))();
    expect(clock.sleeps).toEqual([125, 250, 500]);

    gate.hold({ kind: 'tenant' }, clock.now().getTime() + 1_000);
    (await asFeed(() => gate.admit({ write: false })))();
    expect(clock.sleeps.at(-1)).toBe(1_000);
  });
});

describe('AdaptiveLimit', () => {
  it('halves on a throttle, never below one, and grows back by one after as many successes as the limit', () => {
    const limit = new AdaptiveLimit(8);
    limit.decrease();
    expect(limit.current).toBe(4);
    limit.decrease();
    limit.decrease();
    limit.decrease();
    expect(limit.current).toBe(1);
    limit.increase();
    expect(limit.current).toBe(2);
    limit.increase();
    limit.increase();
    expect(limit.current).toBe(3);
    for (let i = 0; i < 100; i++) limit.increase();
    expect(limit.current).toBe(8);
  });

  it('never lets more than the limit run at once', async () => {
    const limit = new AdaptiveLimit(2);
    let active = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        const release = await limit.acquire();
        active++;
        most = Math.max(most, active);
        await Promise.resolve();
        active--;
        release();
      }),
    );
    expect(most).toBe(2);
  });
});
