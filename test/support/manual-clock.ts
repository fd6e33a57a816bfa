import type { Clock } from '../../src/clock.js';

export interface ManualClock extends Clock {
  /** Moves time on and ends every wait that is due by then. */
  advance(ms: number): void;
  /** Waits not yet due nor dropped. */
  readonly pending: number;
}

/** Waits that end only when the test moves this clock past them (or their signal aborts). */
export function manualClock(start: Date): ManualClock {
  let now = start.getTime();
  let sleepers: Array<{ at: number; resolve: () => void }> = [];
  return {
    now: () => new Date(now),
    sleep(ms, signal) {
      return new Promise<void>((resolve) => {
        if (signal?.aborted) return resolve();
        const sleeper = { at: now + ms, resolve };
        sleepers.push(sleeper);
        signal?.addEventListener(
          'abort',
          () => {
            sleepers = sleepers.filter((s) => s !== sleeper);
            resolve();
          },
          { once: true },
        );
      });
    },
    advance(ms) {
      now += ms;
      const due = sleepers.filter((s) => s.at <= now);
      sleepers = sleepers.filter((s) => s.at > now);
      for (const sleeper of due) sleeper.resolve();
    },
    get pending() {
      return sleepers.length;
    },
  };
}

/** Lets every promise chain and I/O callback that is ready run (a bounded number of turns). */
export async function settle(turns = 20): Promise<void> {
  for (let turn = 0; turn < turns; turn++) await new Promise((resolve) => setImmediate(resolve));
}
