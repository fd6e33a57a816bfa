import { describe, expect, it } from 'vitest';
import { AdaptiveLimit } from '../../src/http/adaptive-limit.js';
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
