import { describe, expect, it } from 'vitest';
import { parseBenchArgs } from '../../src/bench/args.js';

describe('parseBenchArgs', () => {
  it('defaults to the workloads of the issue', () => {
    expect(parseBenchArgs([])).toEqual({
      sizes: [10, 100, 1_000],
      inFlight: [1_000, 10_000],
      memoryTickets: 200,
      latencyMs: 20,
      out: 'bench-results.json',
      naive: true,
      rateTickets: 1_000,
      rateWrites: 10,
    });
  });

  it('takes sizes as a comma list', () => {
    const args = parseBenchArgs(['--sizes', '5, 50', '--in-flight', '300', '--no-naive']);
    expect(args.sizes).toEqual([5, 50]);
    expect(args.inFlight).toEqual([300]);
    expect(args.naive).toBe(false);
  });

  it('refuses a size outside its bound, naming the option', () => {
    expect(() => parseBenchArgs(['--in-flight', '50000'])).toThrow(/--in-flight: '50000' is not a whole number from 1 to 20000/);
    expect(() => parseBenchArgs(['--latency', 'fast'])).toThrow(/--latency: 'fast'/);
    expect(() => parseBenchArgs(['--rate-writes', '0'])).toThrow(/--rate-writes: '0' is not a whole number from 1/);
  });
});
