import type { Clock } from '../../src/clock.js';

export interface FakeClock extends Clock {
  /** Every wait asked for, in order; each returns at once. */
  readonly sleeps: number[];
  set(at: Date): void;
  advance(ms: number): void;
}

export interface FakeClockOptions {
  /** When true a sleep moves time on by what it asked for; otherwise time stands still while it waits. */
  sleepAdvances?: boolean;
}

/** Time moves only when the test moves it; every wait asked for is recorded and returns at once. */
export function fakeClock(start: Date, options: FakeClockOptions = {}): FakeClock {
  let current = start.getTime();
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => new Date(current),
    sleep(ms) {
      sleeps.push(ms);
      if (options.sleepAdvances) current += ms;
      return Promise.resolve();
    },
    set: (at) => void (current = at.getTime()),
    advance: (ms) => void (current += ms),
  };
}
