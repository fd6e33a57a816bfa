import { describe, expect, it } from 'vitest';
import { isReady } from '../../src/daemon/readiness.js';

describe('isReady', () => {
  const now = new Date('2026-11-28T10:00:00Z');
  it.each([
    ['no pass has succeeded yet', null, false],
    ['the last success is fresh', new Date(now.getTime() - 10_000), true],
    ['exactly three intervals ago', new Date(now.getTime() - 90_000), true],
    ['more than three intervals ago', new Date(now.getTime() - 90_001), false],
  ])('%s', (_name, last, expected) => {
    expect(isReady(last, now, 30_000)).toBe(expected);
  });

  it('is not ready after a failed pass, however fresh the last success', () => {
    expect(isReady(new Date(now.getTime() - 1_000), now, 30_000, true)).toBe(false);
  });
});
