import { describe, expect, it } from 'vitest';
import type { Clock } from '../../src/clock.js';
import { UpstreamError } from '../../src/http/errors.js';
import { RateGate } from '../../src/http/rate-gate.js';
import { isStopped, StoppedError, withRetry } from '../../src/http/retry.js';

const START = new Date('2025-01-05T12:00:00.000Z');

/** A clock whose waits end only when their signal aborts: a wait that ignored the stop would never end. */
function stallingClock(): Clock & { waits: number[] } {
  const waits: number[] = [];
  return {
    waits,
    now: () => START,
    sleep(ms, signal) {
      waits.push(ms);
      return new Promise<void>((resolve) => {
        if (signal?.aborted) return resolve();
        signal?.addEventListener('abort', () => resolve(), { once: true });
      });
    },
  };
}

describe('waits a stop drops', () => {
  it('a gate hold: the request behind it ends with StoppedError and is not admitted', async () => {
    const clock = stallingClock();
    const stop = new AbortController();
    const gate = new RateGate({ clock, concurrency: 2, signal: stop.signal, upstream: 'airflow' });
    gate.hold({ kind: 'tenant' }, START.getTime() + 60_000);

    const admitted = gate.admit({ write: false });
    await Promise.resolve();
    stop.abort();

    const error = await admitted.then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(StoppedError);
    expect((error as StoppedError).upstream).toBe('airflow');
    expect(clock.waits).toEqual([60_000]);
  });

  it('a gate hold after the stop is not waited at all', async () => {
    const clock = stallingClock();
    const stop = new AbortController();
    stop.abort();
    const gate = new RateGate({ clock, concurrency: 2, signal: stop.signal });
    gate.hold({ kind: 'tenant' }, START.getTime() + 60_000);
    await expect(gate.admit({ write: false })).rejects.toBeInstanceOf(StoppedError);
    expect(clock.waits).toEqual([]);
  });

  it('a 5xx backoff: withRetry ends with StoppedError and sends no further attempt', async () => {
    const clock = stallingClock();
    const stop = new AbortController();
    let attempts = 0;
    const result = withRetry(
      'jira',
      () => {
        attempts++;
        return Promise.reject(new UpstreamError('jira', 'transient', 'jira answered HTTP 503', { status: 503 }));
      },
      { clock, retries: 5, signal: stop.signal },
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(clock.waits).toHaveLength(1);
    stop.abort();
    const error = await result.then(() => null, (e: unknown) => e);
    expect(isStopped(error)).toBe(true);
    expect(attempts).toBe(1);
  });

  it('after the stop, a request that needs no wait still goes out, and a failed one is not retried', async () => {
    const stop = new AbortController();
    stop.abort();
    const clock = stallingClock();
    expect(await withRetry('airflow', () => Promise.resolve('answered'), { clock, retries: 3, signal: stop.signal })).toBe('answered');
    let attempts = 0;
    const failing = (): Promise<never> => {
      attempts++;
      return Promise.reject(new UpstreamError('airflow', 'transient', 'airflow answered HTTP 503', { status: 503 }));
    };
    const error = await withRetry('airflow', failing, { clock, retries: 3, signal: stop.signal }).then(() => null, (e: unknown) => e);
    expect(isStopped(error)).toBe(true);
    expect(attempts).toBe(1);
    expect(clock.waits).toEqual([]);
  });

  it('a refusal that is not retried is still itself, not a stop', async () => {
    const stop = new AbortController();
    const refused = new UpstreamError('jira', 'bad_request', 'jira answered HTTP 400', { status: 400 });
    const error = await withRetry('jira', () => Promise.reject(refused), { clock: stallingClock(), retries: 3, signal: stop.signal }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBe(refused);
  });
});
