import { describe, expect, it } from 'vitest';
import { retryDelaySeconds, retryFor, retryPattern, shouldRetry } from '../../src/config/retry-policy.js';

const TOP = { attempts: 3, delaySeconds: 60, when: ['HTTP 503'] };

describe('retryFor', () => {
  it('is the top level when the source says nothing', () => {
    expect(retryFor(TOP, undefined, 'DELTA')).toEqual(TOP);
    expect(retryFor(TOP, {}, 'DELTA')).toEqual(TOP);
  });

  it('lays the source and then the run type over it, key by key', () => {
    const source = { retry: { attempts: 5 }, runTypes: { DELTA: { retry: { when: ['timeout'] } } } };
    expect(retryFor(TOP, source, 'DELTA')).toEqual({ attempts: 5, delaySeconds: 60, when: ['timeout'] });
    expect(retryFor(TOP, source, 'FULL_REFRESH')).toEqual({ attempts: 5, delaySeconds: 60, when: ['HTTP 503'] });
  });
});

describe('shouldRetry', () => {
  it('retries while attempts remain and the error matches', () => {
    expect(shouldRetry(TOP, 1, 'upstream said HTTP 503')).toBe(true);
    expect(shouldRetry(TOP, 2, 'upstream said HTTP 503')).toBe(true);
    expect(shouldRetry(TOP, 3, 'upstream said HTTP 503')).toBe(false);
    expect(shouldRetry(TOP, 1, 'bad credentials')).toBe(false);
    expect(shouldRetry(TOP, 1, null)).toBe(false);
  });

  it('retries every failure when when is empty, and never with one attempt', () => {
    expect(shouldRetry({ ...TOP, when: [] }, 1, null)).toBe(true);
    expect(shouldRetry({ attempts: 1, delaySeconds: 60, when: [] }, 1, 'x')).toBe(false);
  });

  it('takes /pattern/flags for any case', () => {
    expect(shouldRetry({ ...TOP, when: ['/timed out/i'] }, 1, 'Read Timed Out')).toBe(true);
    expect(shouldRetry({ ...TOP, when: ['timed out'] }, 1, 'Read Timed Out')).toBe(false);
  });
});

describe('retryDelaySeconds', () => {
  it('waits delaySeconds before the second attempt, doubling after', () => {
    expect([2, 3, 4].map((next) => retryDelaySeconds(TOP, next))).toEqual([60, 120, 240]);
  });
});

describe('retryPattern', () => {
  it('refuses flags that would make matching stateful', () => {
    expect(() => retryPattern('/x/g')).toThrow('flag g is not supported here; use i, m, s or u');
    expect(retryPattern('/a/b/').source).toBe('a\\/b');
  });
});
