import { AsyncLocalStorage } from 'node:async_hooks';

/** What a worker is told when a request of its own is about to wait: until when, and why. */
export type WaitListener = (untilMs: number, reason: string) => void;

const listeners = new AsyncLocalStorage<WaitListener>();

/**
 * Runs `fn` with its waits (holds, paces, backoffs) told to `listener`, so the work queue can set the
 * ticket aside with its due time instead of holding a pass for it. The gateways are shared by every
 * ticket; the async context is what tells one ticket's waits from another's.
 */
export function watchWaits<T>(listener: WaitListener, fn: () => Promise<T>): Promise<T> {
  return listeners.run(listener, fn);
}

/** Called by the gate and the retry just before they sleep. */
export function announceWait(untilMs: number, reason: string): void {
  listeners.getStore()?.(untilMs, reason);
}
