import { setTimeout as delay } from 'node:timers/promises';

const POLL_MS = 250;

/** Polls `done` until it holds; past the bound the bench stops with what it was waiting for. */
export async function until(done: () => boolean, boundMs: number, what: string): Promise<void> {
  const deadline = Date.now() + boundMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`The daemon did not get there within ${Math.round(boundMs / 1000)} s: ${what}`);
    await delay(POLL_MS);
  }
}
