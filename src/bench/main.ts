import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { parseBenchArgs, resolveStates, USAGE, type BenchArgs } from './args.js';
import { findPostgresBin, startBenchCluster, type BenchCluster } from './pg-cluster.js';
import { assertBuilt } from './product.js';
import { renderTable, type BenchResults } from './report.js';
import { burstThenSteady } from './scenarios/burst.js';
import { latencyAndIdle } from './scenarios/latency.js';
import { lifecycle } from './scenarios/lifecycle.js';
import { daemonMemory } from './scenarios/memory.js';
import { rateLimited } from './scenarios/rate-limited.js';
import { steadyPass } from './scenarios/steady.js';
import { CONCURRENCY, naiveStrategy, postgresProductStrategy, productStrategy } from './strategies.js';

/**
 * The benchmark (not a test): the product, driven through its built CLI as child processes, against
 * the simulators with latency on every request, beside a naive strategy on the same workloads.
 */
async function main(args: BenchArgs): Promise<void> {
  assertBuilt();
  const progress = (message: string): void => void process.stderr.write(`bench: ${message}\n`);
  const results: BenchResults = {
    generatedAt: new Date().toISOString(),
    machine: { cpus: cpus().length, node: process.versions.node, platform: process.platform },
    latencyMs: args.latencyMs,
    concurrency: CONCURRENCY,
    lifecycle: [],
    steady: [],
    triggerThroughput: { tickets: 0, product: { tickets: 0, seconds: 0, perSecond: 0, announced: 0 }, naive: null },
    memory: null,
    rateLimited: [],
    burst: [],
    latency: [],
    states: [],
    stateNote: null,
    postgres: null,
  };
  const { states, note } = resolveStates(args.states, findPostgresBin() !== null);
  results.states = states;
  results.stateNote = note;
  if (note) progress(note);
  if (states.includes('sqlite')) await onSqlite(args, results, progress);
  if (states.includes('postgres') && (args.sizes.length > 0 || args.inFlight.length > 0)) {
    progress('starting a throwaway PostgreSQL cluster on loopback');
    const cluster = await startBenchCluster();
    try {
      results.postgres = await onPostgres(args, cluster, progress);
    } finally {
      cluster.stop();
    }
  }
  await theRest(args, results, progress);
  const out = resolve(args.out);
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`${renderTable(results)}JSON: ${out}\n`);
}

type Progress = (message: string) => void;

/** The lifecycle and steady-pass runs on SQLite, beside the naive strategy. */
async function onSqlite(args: BenchArgs, results: BenchResults, progress: Progress): Promise<void> {
  for (const n of args.sizes) {
    progress(`lifecycle of ${n} tickets (product)`);
    const product = await lifecycle(n, productStrategy, args.latencyMs);
    progress(`lifecycle of ${n} tickets (naive)`);
    const naive = args.naive ? await lifecycle(n, naiveStrategy, args.latencyMs) : null;
    results.lifecycle.push({ tickets: n, product, naive });
    progress(`lifecycle of ${n} tickets whose runs end between passes (product)`);
    const quick = await lifecycle(n, productStrategy, args.latencyMs, 'ends-between-passes');
    progress(`lifecycle of ${n} tickets whose runs end between passes (naive)`);
    const quickNaive = args.naive ? await lifecycle(n, naiveStrategy, args.latencyMs, 'ends-between-passes') : null;
    results.lifecycle.push({ tickets: n, product: quick, naive: quickNaive });
    if (n >= results.triggerThroughput.tickets) {
      results.triggerThroughput = { tickets: n, product: product.triggerThroughput, naive: naive?.triggerThroughput ?? null };
    }
  }
  for (const n of args.inFlight) {
    progress(`steady pass with ${n} in flight (product)`);
    const product = await steadyPass(n, productStrategy, args.latencyMs);
    progress(`steady pass with ${n} in flight (naive)`);
    const naive = args.naive ? await steadyPass(n, naiveStrategy, args.latencyMs) : null;
    results.steady.push({ inFlight: n, product, naive });
  }
}

/** The same lifecycle and steady-pass runs with the state in PostgreSQL, a database of their own each. */
async function onPostgres(args: BenchArgs, cluster: BenchCluster, progress: Progress): Promise<NonNullable<BenchResults['postgres']>> {
  const product = postgresProductStrategy(cluster);
  const figures: NonNullable<BenchResults['postgres']> = { lifecycle: [], steady: [] };
  for (const n of args.sizes) {
    progress(`lifecycle of ${n} tickets (product, PostgreSQL)`);
    figures.lifecycle.push(await lifecycle(n, product, args.latencyMs));
    progress(`lifecycle of ${n} tickets whose runs end between passes (product, PostgreSQL)`);
    figures.lifecycle.push(await lifecycle(n, product, args.latencyMs, 'ends-between-passes'));
  }
  for (const n of args.inFlight) {
    progress(`steady pass with ${n} in flight (product, PostgreSQL)`);
    figures.steady.push(await steadyPass(n, product, args.latencyMs));
  }
  return figures;
}

async function theRest(args: BenchArgs, results: BenchResults, progress: Progress): Promise<void> {
  if (args.burstTickets > 0) {
    // Each deployment against its own simulators, side by side: the figures are counted, not timed.
    progress(`a burst of ${args.burstTickets} triggers, then the steady passes after it (${args.jira.join(', ')})`);
    results.burst = await Promise.all(args.jira.map((deployment) => burstThenSteady(args.burstTickets, deployment, args.latencyMs)));
  }
  if (args.latencyTickets > 0) {
    progress(`pickup and run-end latency of ${args.latencyTickets} tickets, then idle (${args.jira.join(', ')}; every ${args.intervals.join(' s, ')} s)`);
    const runs = args.jira.flatMap((deployment) => args.intervals.map((interval) => latencyAndIdle(args.latencyTickets, deployment, interval, args.latencyMs)));
    results.latency = await Promise.all(runs);
  }
  if (args.rateTickets > 0) {
    for (const deployment of args.jira) {
      progress(`${args.rateTickets} tickets against ${args.rateWrites} writes/s per endpoint (product, Jira ${deployment})`);
      const product = await rateLimited(args.rateTickets, args.rateWrites, productStrategy, args.latencyMs, deployment);
      // The naive strategy speaks Jira Cloud's REST v3 only.
      const naiveToo = args.naive && deployment === 'cloud';
      if (naiveToo) progress(`${args.rateTickets} tickets against ${args.rateWrites} writes/s per endpoint (naive, Jira cloud)`);
      const naive = naiveToo ? await rateLimited(args.rateTickets, args.rateWrites, naiveStrategy, args.latencyMs, deployment) : null;
      results.rateLimited.push({ product, naive });
    }
  }
  if (args.memoryTickets > 0) {
    progress(`daemon memory through ${args.memoryTickets} tickets`);
    results.memory = await daemonMemory(args.memoryTickets, args.latencyMs);
  }
}

let args: BenchArgs;
try {
  args = parseBenchArgs(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`bench: ${(error as Error).message}\n${USAGE}\n`);
  process.exit(2);
}
try {
  await main(args);
} catch (error) {
  process.stderr.write(`bench: failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
}
