import pRetry, { AbortError } from 'p-retry';
import type { Clock } from '../clock.js';
import { toUpstreamError } from './classify.js';
import { feedDeadline } from './feed-first.js';
import { UpstreamError, type Upstream } from './errors.js';
import { notSentReason } from './not-sent.js';
import { announceWait } from './wait-watch.js';

export interface RetryOptions {
  clock: Clock;
  retries: number;
  /** First backoff; doubles each attempt up to maxDelayMs. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /**
   * A rate-limit gate holds every request while a 429's Retry-After runs, this one's retry included:
   * the retry then does not sleep the same wait a second time.
   */
  gated?: boolean;
  /** The process is stopping: a backoff under way is dropped and no retry goes out (StoppedError). */
  signal?: AbortSignal;
  onRetry?: (info: { attempt: number; delayMs: number; error: Error }) => void;
}

/** Atlassian's guidance for 5xx and resets: start about 2 s, double, cap about 30 s, with jitter. */
export const BACKOFF_BASE_MS = 2_000;
export const BACKOFF_MAX_MS = 30_000;

/**
 * A request given up because the process is stopping: its wait (a hold, a pace, a backoff) was dropped
 * and it was not sent again. The work it was part of is pending, not failed: the next start picks it up.
 */
export class StoppedError extends UpstreamError {
  constructor(upstream: Upstream, cause?: unknown, message = `stopping: the request to ${upstream} was not sent (its wait was dropped)`) {
    super(upstream, 'transient', message, cause === undefined ? {} : { cause });
  }
}

export function isStopped(error: unknown): error is StoppedError {
  return error instanceof StoppedError;
}

/**
 * Runs `fn`, retrying only transient and rate-limited failures. p-retry counts attempts; the waits go
 * through the injected clock (p-retry's own timer is set to zero) so tests record them instead of sleeping.
 */
export async function withRetry<T>(upstream: Upstream, fn: () => Promise<T>, options: RetryOptions): Promise<T> {
  const base = options.baseDelayMs ?? BACKOFF_BASE_MS;
  const max = options.maxDelayMs ?? BACKOFF_MAX_MS;
  return pRetry(
    async () => {
      try {
        return await fn();
      } catch (error) {
        // Refused before sending (no leader lease): set aside like a stop, never retried by this process.
        const notSent = notSentReason(error);
        if (notSent !== null) throw new AbortError(new StoppedError(upstream, error, `${upstream} request not sent: ${notSent}`));
        const typed = toUpstreamError(upstream, error, options.clock.now());
        if (!typed.retryable) throw new AbortError(typed);
        throw typed;
      }
    },
    {
      retries: options.retries,
      minTimeout: 0,
      maxTimeout: 0,
      randomize: false,
      // The signal is not p-retry's: it would refuse a first attempt too, and a request that needs no wait still goes out.
      onFailedAttempt: async ({ error, attemptNumber, retriesLeft }) => {
        if (retriesLeft <= 0) return;
        if (options.signal?.aborted) throw new StoppedError(upstream, error);
        const backoff = Math.min(max, base * 2 ** (attemptNumber - 1));
        // Equal jitter: half the backoff for sure, the rest at random, so clients that failed together spread out.
        const jittered = options.clock.random ? Math.round(backoff / 2 + (backoff / 2) * options.clock.random()) : backoff;
        const asked = (error as { details?: { retryAfterMs?: number } }).details?.retryAfterMs;
        const delayMs = asked === undefined ? jittered : Math.min(Math.max(asked, 0), 5 * 60_000);
        // A change feed's read is polled again on schedule: no backoff past the next poll (feed-first.ts).
        // A Retry-After is the gate's to hold, as for any request.
        const nextPoll = asked === undefined ? feedDeadline() : undefined;
        if (nextPoll !== undefined && options.clock.now().getTime() + delayMs > nextPoll) throw error;
        options.onRetry?.({ attempt: attemptNumber, delayMs, error });
        if (asked !== undefined && options.gated) return;
        announceWait(options.clock.now().getTime() + delayMs, `backing off after ${error.message}`);
        await options.clock.sleep(delayMs, options.signal);
        if (options.signal?.aborted) throw new StoppedError(upstream, error);
      },
    },
  ).catch((error: unknown) => {
    if (error instanceof StoppedError) throw error;
    throw toUpstreamError(upstream, error instanceof AbortError ? error.originalError : error, options.clock.now());
  });
}
