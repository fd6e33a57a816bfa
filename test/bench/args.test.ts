import { describe, expect, it } from 'vitest';
import { parseBenchArgs, resolveStates } from '../../src/bench/args.js';

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
      jira: ['cloud', 'datacenter'],
      burstTickets: 1_000,
      latencyTickets: 20,
      intervals: [30, 10],
      states: null,
    });
  });

  it('takes the Jira deployments and intervals as lists; a size of 0 skips that run', () => {
    const args = parseBenchArgs(['--jira', 'datacenter', '--intervals', '30', '--sizes', '0', '--in-flight', '0', '--burst-tickets', '0']);
    expect(args.jira).toEqual(['datacenter']);
    expect(args.intervals).toEqual([30]);
    expect(args.sizes).toEqual([]);
    expect(args.inFlight).toEqual([]);
    expect(args.burstTickets).toBe(0);
    expect(() => parseBenchArgs(['--jira', 'server'])).toThrow(/--jira: 'server' is not a list of cloud and datacenter/);
    expect(() => parseBenchArgs(['--intervals', '0'])).toThrow(/--intervals: '0' is not a whole number from 1/);
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

describe('the state backends', () => {
  it('takes --state as a list of sqlite and postgres, naming a bad one', () => {
    expect(parseBenchArgs(['--state', 'postgres']).states).toEqual(['postgres']);
    expect(parseBenchArgs(['--state', 'sqlite, postgres']).states).toEqual(['sqlite', 'postgres']);
    expect(() => parseBenchArgs(['--state', 'mysql'])).toThrow(/--state: 'mysql' is not a list of sqlite and postgres/);
  });

  it('defaults to both where the PostgreSQL server is installed, else SQLite with a note saying how to get PostgreSQL figures', () => {
    expect(resolveStates(null, true)).toEqual({ states: ['sqlite', 'postgres'], note: null });
    const without = resolveStates(null, false);
    expect(without.states).toEqual(['sqlite']);
    expect(without.note).toMatch(/no PostgreSQL server binaries \(initdb\) were found.*apt-get install postgresql/);
    expect(resolveStates(['postgres'], false)).toEqual({ states: ['postgres'], note: null });
  });
});
