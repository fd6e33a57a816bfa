/**
 * Runs the outbox's drain beside the pass. It is kicked when rows are queued, so a message goes out as
 * soon as its write-back is recorded rather than after the pass's other Jira work. The outbox stays the
 * source of truth: a kick only says "look now", and the pass's flush looks again at its end.
 */
export interface Drainer {
  /**
   * Asks for a drain once the current synchronous work ends (the transaction that queued the rows has
   * committed by then); never waits. Kicks in one tick, or during a drain, make one more drain.
   */
  kick(): void;
  /** Drains what is due now, after any drain under way; resolves when that is done. */
  flush(): Promise<void>;
  /** No drain starts after this; resolves once the one under way, if any, has ended. */
  stop(): Promise<void>;
}

/**
 * One drain at a time, so the sends are bounded (one after another, as drainOutbox sends them) and
 * never overlap: a row is claimed by one drain only, and sent once. `drain` must never throw.
 */
export function createDrainer(drain: () => Promise<unknown>): Drainer {
  let running: Promise<void> | null = null;
  let again = false;
  let kicked = false;
  let stopped = false;

  function run(): Promise<void> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          again = false;
          await drain();
        } while (again && !stopped);
      } finally {
        running = null;
      }
    })();
    return running;
  }

  return {
    kick() {
      if (stopped || kicked) return;
      kicked = true;
      setImmediate(() => {
        kicked = false;
        if (!stopped) void run();
      });
    },
    flush() {
      return stopped ? Promise.resolve() : run();
    },
    async stop() {
      stopped = true;
      await running;
    },
  };
}
