import { describe, expect, it } from 'vitest';
import type { Clock } from '../../src/clock.js';
import { PassLoop } from '../../src/daemon/pass-loop.js';
import { intervalSchedule, type Schedule } from '../../src/daemon/schedule.js';
import { fakeClock, type FakeClock } from '../support/fake-clock.js';

/** A clock the test moves: sleeps are recorded and return at once, advancing time by what they asked. */
function steppedClock(): FakeClock {
  return fakeClock(new Date('2026-11-28T10:00:00Z'), { sleepAdvances: true });
}

/** Runs an interval loop whose pass n takes `durations[n - 1]` on the clock; it stops after the last one. */
async function timedPasses(intervalSeconds: number, durations: number[]): Promise<{ passes: number; overruns: number; sleeps: number[] }> {
  const clock = steppedClock();
  let passes = 0;
  let overruns = 0;
  const loop: PassLoop = new PassLoop({
    clock,
    schedule: intervalSchedule(intervalSeconds),
    onOverrun: () => overruns++,
    runPass: () => {
      passes++;
      clock.advance(durations[passes - 1] ?? 0);
      if (passes === durations.length) loop.stop();
      return Promise.resolve();
    },
  });
  await loop.run();
  return { passes, overruns, sleeps: clock.sleeps };
}

describe('PassLoop', () => {
  it('waits out the rest of the interval after a short pass', async () => {
    const { passes, overruns, sleeps } = await timedPasses(30, [10_000, 10_000, 10_000]);
    expect(passes).toBe(3);
    expect(sleeps).toEqual([20_000, 20_000]);
    expect(overruns).toBe(0);
  });

  it('starts the next pass at once after an overrun, and counts it', async () => {
    const { passes, overruns, sleeps } = await timedPasses(30, [45_000, 5_000]);
    expect(passes).toBe(2);
    expect(sleeps).toEqual([]);
    expect(overruns).toBe(1);
  });

  it('never overlaps passes: a request during a pass runs right after it', async () => {
    const clock = steppedClock();
    let running = 0;
    let maxRunning = 0;
    let passes = 0;
    const loop: PassLoop = new PassLoop({
      clock,
      schedule: intervalSchedule(3600),
      onOverrun: () => undefined,
      runPass: async () => {
        running++;
        maxRunning = Math.max(maxRunning, running);
        passes++;
        if (passes === 1) {
          loop.requestPass('signal');
          loop.requestPass('signal');
        }
        await Promise.resolve();
        running--;
        if (passes === 2) loop.stop();
      },
    });
    await loop.run();
    expect(passes).toBe(2);
    expect(maxRunning).toBe(1);
    expect(clock.sleeps).toEqual([]);
  });

  it('on a cron schedule waits for a tick, and counts a tick that comes during a pass as an overrun', async () => {
    const clock = steppedClock();
    let tick: () => void = () => undefined;
    const schedule: Schedule = {
      describe: () => 'test cron',
      intervalMs: () => 60_000,
      delayAfter: () => null,
      start(fn) {
        tick = fn;
        return () => undefined;
      },
    };
    let passes = 0;
    let overruns = 0;
    const loop: PassLoop = new PassLoop({
      clock,
      schedule,
      onOverrun: () => overruns++,
      runPass: () => {
        passes++;
        if (passes === 1) tick();
        if (passes === 3) loop.stop();
        return Promise.resolve();
      },
    });
    const done = loop.run();
    // Pass 1 ran with a tick during it (overrun, pass 2 follows at once); pass 2 waits for the next tick.
    await new Promise((resolve) => setImmediate(resolve));
    expect(passes).toBe(2);
    tick();
    await done;
    expect(passes).toBe(3);
    expect(overruns).toBe(1);
  });

  it('stop() during the wait ends the loop without another pass', async () => {
    let passes = 0;
    const clock: Clock = {
      now: () => new Date(),
      sleep: (_ms, signal) => new Promise<void>((resolve) => signal?.addEventListener('abort', () => resolve())),
    };
    const loop = new PassLoop({
      clock,
      schedule: intervalSchedule(3600),
      onOverrun: () => undefined,
      runPass: () => {
        passes++;
        return Promise.resolve();
      },
    });
    const done = loop.run();
    await new Promise((resolve) => setImmediate(resolve));
    loop.stop();
    await done;
    expect(passes).toBe(1);
  });
});
