import { describe, expect, it } from 'vitest';
import { percentile, percentiles } from '../../src/bench/percentiles.js';

describe('percentile (nearest rank)', () => {
  it('is the smallest value with at least p% of the values at or below it, whatever order they came in', () => {
    const values = [15, 20, 35, 40, 50];
    expect(percentile(values, 50)).toBe(35);
    expect(percentile([50, 40, 35, 20, 15], 50)).toBe(35);
    expect(percentile(values, 95)).toBe(50);
    expect(percentile(values, 20)).toBe(15);
    expect(percentile(values, 100)).toBe(50);
  });

  it('of 20 values, p95 is the 19th and p50 the 10th', () => {
    const values = Array.from({ length: 20 }, (_, i) => (i + 1) * 1000);
    expect(percentile(values, 50)).toBe(10_000);
    expect(percentile(values, 95)).toBe(19_000);
  });

  it('is null without values and refuses a p outside (0, 100]', () => {
    expect(percentile([], 50)).toBeNull();
    expect(() => percentile([1], 0)).toThrow(/p must be in \(0, 100\], not 0/);
    expect(() => percentile([1], 101)).toThrow(/not 101/);
  });

  it('summarises milliseconds as seconds to a tenth', () => {
    expect(percentiles([1_234, 27_650, 13_900, 400])).toEqual({ count: 4, p50: 1.2, p95: 27.7, max: 27.7 });
    expect(percentiles([])).toBeNull();
  });
});
