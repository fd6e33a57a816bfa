import { parseArgs } from 'node:util';
import type { JiraDeployment } from '../sandbox/jira/deployment.js';
import type { StateBackend } from './strategies.js';

export interface BenchArgs {
  sizes: number[];
  inFlight: number[];
  memoryTickets: number;
  latencyMs: number;
  out: string;
  naive: boolean;
  /** Tickets driven through a Jira that enforces rate limits (0 skips it). */
  rateTickets: number;
  /** That Jira's limit on each write endpoint and method, per second. */
  rateWrites: number;
  /** The Jira deployments the burst, latency and rate-limited runs are measured against. */
  jira: JiraDeployment[];
  /** Tickets triggered at once before the steady passes after them are counted (0 skips). */
  burstTickets: number;
  /** Tickets whose pickup and run-end latencies are measured, per interval and deployment (0 skips). */
  latencyTickets: number;
  /** Daemon intervals (seconds) the latencies and idle rate are measured at; 30 is the default one. */
  intervals: number[];
  /** The state backends the lifecycle and steady-pass runs are measured on; null: as the machine allows (resolveStates). */
  states: StateBackend[] | null;
}

export const USAGE = `npm run bench [-- options]
  --sizes 10,100,1000        lifecycle sizes (tickets)
  --in-flight 1000,10000     steady-pass sizes (runs in flight)
  --memory-tickets 200       tickets the daemon finishes before idle RSS is read (0 skips)
  --latency 20               ms of latency injected on every simulator request
  --out bench-results.json   where the JSON goes
  --no-naive                 skip the naive strategy
  --rate-tickets 1000        tickets driven through a Jira that enforces rate limits (0 skips)
  --rate-writes 10           that Jira's limit per write endpoint and method, per second
  --jira cloud,datacenter    Jira deployments for the burst, latency and rate-limited runs
  --burst-tickets 1000       tickets triggered in one pass before the steady passes after it are counted (0 skips)
  --latency-tickets 20       tickets whose pickup and run-end latencies are measured (0 skips)
  --intervals 30,10          daemon intervals (s) the latencies and the idle request rate are measured at
  --state sqlite,postgres    state backends of the lifecycle and steady-pass runs (default: both when the
                             PostgreSQL server binaries are installed, else sqlite)
  --sizes 0 or --in-flight 0 skips those runs.`;

/** The bench's options; a bad one stops it with what was wrong and the usage. */
export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      sizes: { type: 'string', default: '10,100,1000' },
      'in-flight': { type: 'string', default: '1000,10000' },
      'memory-tickets': { type: 'string', default: '200' },
      latency: { type: 'string', default: '20' },
      out: { type: 'string', default: 'bench-results.json' },
      'no-naive': { type: 'boolean', default: false },
      'rate-tickets': { type: 'string', default: '1000' },
      'rate-writes': { type: 'string', default: '10' },
      jira: { type: 'string', default: 'cloud,datacenter' },
      'burst-tickets': { type: 'string', default: '1000' },
      'latency-tickets': { type: 'string', default: '20' },
      intervals: { type: 'string', default: '30,10' },
      state: { type: 'string' },
    },
    strict: true,
  });
  return {
    sizes: skippable('--sizes', values.sizes, 5_000),
    inFlight: skippable('--in-flight', values['in-flight'], 20_000),
    memoryTickets: count('--memory-tickets', values['memory-tickets'], 0, 2_000),
    latencyMs: count('--latency', values.latency, 0, 1_000),
    out: values.out,
    naive: !values['no-naive'],
    rateTickets: count('--rate-tickets', values['rate-tickets'], 0, 5_000),
    rateWrites: count('--rate-writes', values['rate-writes'], 1, 1_000),
    jira: deployments(values.jira),
    burstTickets: count('--burst-tickets', values['burst-tickets'], 0, 5_000),
    latencyTickets: count('--latency-tickets', values['latency-tickets'], 0, 200),
    intervals: counts('--intervals', values.intervals, 1, 300),
    states: values.state === undefined ? null : backends(values.state),
  };
}

/**
 * The backends to measure on: those asked for, else both where the PostgreSQL server binaries are
 * installed, else SQLite alone with a note saying how to get the PostgreSQL figures.
 */
export function resolveStates(asked: StateBackend[] | null, postgresFound: boolean): { states: StateBackend[]; note: string | null } {
  if (asked !== null) return { states: asked, note: null };
  if (postgresFound) return { states: ['sqlite', 'postgres'], note: null };
  return {
    states: ['sqlite'],
    note:
      'the lifecycle and steady-pass runs are measured on SQLite only: no PostgreSQL server binaries (initdb) were found. ' +
      'Install them (`apt-get install postgresql`) and run the bench again (or pass --state sqlite,postgres) to get the PostgreSQL figures too.',
  };
}

function backends(text: string): StateBackend[] {
  const list = [...new Set(text.split(',').map((part) => part.trim()))];
  const bad = list.filter((part) => part !== 'sqlite' && part !== 'postgres');
  if (bad.length > 0 || list.length === 0) throw new Error(`--state: '${text}' is not a list of sqlite and postgres`);
  return list as StateBackend[];
}

function deployments(text: string): JiraDeployment[] {
  const list = [...new Set(text.split(',').map((part) => part.trim()))];
  const bad = list.filter((part) => part !== 'cloud' && part !== 'datacenter');
  if (bad.length > 0 || list.length === 0) throw new Error(`--jira: '${text}' is not a list of cloud and datacenter`);
  return list as JiraDeployment[];
}

/** A list of sizes, or `0` alone: that run skipped. */
function skippable(name: string, text: string, max: number): number[] {
  return text.trim() === '0' ? [] : counts(name, text, 1, max);
}

function counts(name: string, text: string, min: number, max: number): number[] {
  const list = text.split(',').map((part) => count(name, part.trim(), min, max));
  if (list.length === 0) throw new Error(`${name} needs at least one number`);
  return list;
}

function count(name: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name}: '${text}' is not a whole number from ${min} to ${max} (the bench keeps every run bounded)`);
  }
  return value;
}
