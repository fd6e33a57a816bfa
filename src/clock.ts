/** Time is injected so tests drive it: backoff is asserted by the waits it asked for. */
export interface Clock {
  now(): Date;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** A number in [0, 1) for backoff jitter; without it (a test's clock) backoff is exact. */
  random?(): number;
}

export const systemClock: Clock = {
  now: () => new Date(),
  random: () => Math.random(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve) => {
      if (signal?.aborted) return resolve();
      const timer = setTimeout(done, ms);
      signal?.addEventListener('abort', done, { once: true });
      function done(): void {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      }
    }),
};
