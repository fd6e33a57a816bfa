import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SIM_AIRFLOW_USER, SIM_JIRA_USER } from '../sandbox/sim-env.js';
import { jsonClient } from './http-client.js';
import { naivePass, naiveState, type NaiveState } from './naive/strategy.js';
import type { BenchCluster } from './pg-cluster.js';
import { productEnv, reconcileOnce } from './product.js';
import type { SeededTicket } from './seed.js';
import type { BenchSims } from './sims.js';
import type { RoundTrips } from './statement-log.js';

/** The product's default concurrency (config http.concurrency), given to the naive strategy too. */
export const CONCURRENCY = 4;
const PASS_TIMEOUT_MS = 180_000;

export type StrategyName = 'product' | 'naive';
export type StateBackend = 'sqlite' | 'postgres';

/** Where a product pass keeps its state: a SQLite file, or a PostgreSQL database of the run's own. */
export type StateTarget = { backend: 'sqlite'; path: string } | { backend: 'postgres'; url: string };

export interface PassOutcome {
  wallMs: number;
  /** Peak RSS of the process that ran the pass; null for the naive strategy (it runs inside the bench). */
  peakRssMiB: number | null;
  /** The naive pass was cut at its deadline and its wall time extrapolated. */
  estimated: boolean;
  /** Requests the naive pass meant to send, when cut short. */
  plannedRequests?: number;
  /** The statements the pass's process sent to PostgreSQL, counted in the server's log; null on SQLite. */
  roundTrips: RoundTrips | null;
  /** Tickets the pass counted as errors (the product's summary); 0 for the naive strategy. */
  errors: number;
}

export interface Strategy {
  name: StrategyName;
  /** The state a product pass starts from; null for the naive strategy, which keeps its state in memory. */
  state: StateTarget | null;
  /** Tells the strategy about runs seeded in flight (the product reads them from the seeded state file). */
  adopt(tickets: readonly SeededTicket[]): void;
  pass(options?: { deadlineMs?: number }): Promise<PassOutcome>;
  close(): void | Promise<void>;
}

export type MakeStrategy = (sims: BenchSims) => Strategy | Promise<Strategy>;

export function productStrategy(sims: BenchSims): Strategy {
  const dir = mkdtempSync(join(tmpdir(), 'reconciler-bench-'));
  const dbPath = join(dir, 'reconciler.db');
  const env = productEnv(sims, dbPath);
  return {
    name: 'product',
    state: { backend: 'sqlite', path: dbPath },
    adopt: () => undefined,
    async pass() {
      const run = await reconcileOnce(env, PASS_TIMEOUT_MS);
      return { wallMs: run.passMs, peakRssMiB: run.peakRssMiB, estimated: false, roundTrips: null, errors: run.summary.errors };
    },
    close: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * The product on PostgreSQL: a database of its own in the bench's cluster (RECONCILER_DATABASE_URL,
 * ha.leaseSeconds at its default), each pass's statements counted from the server's log.
 */
export function postgresProductStrategy(cluster: BenchCluster): MakeStrategy {
  return async (sims) => {
    const database = await cluster.createDatabase();
    const dir = mkdtempSync(join(tmpdir(), 'reconciler-bench-'));
    // RECONCILER_DB stays set as an operator's would: the database URL takes precedence over it. The lease
    // is the default one: a one-shot pass renews it on its own connection, counted apart from the store's.
    const env = productEnv(sims, join(dir, 'unused.db'), { RECONCILER_DATABASE_URL: database.url });
    return {
      name: 'product',
      state: { backend: 'postgres', url: database.url },
      adopt: () => undefined,
      async pass() {
        const from = cluster.statements.mark();
        const run = await reconcileOnce(env, PASS_TIMEOUT_MS);
        const roundTrips = cluster.statements.since(from, database.name);
        return { wallMs: run.passMs, peakRssMiB: run.peakRssMiB, estimated: false, roundTrips, errors: run.summary.errors };
      },
      async close() {
        rmSync(dir, { recursive: true, force: true });
        await database.drop();
      },
    };
  };
}

export function naiveStrategy(sims: BenchSims): Strategy {
  const state: NaiveState = naiveState();
  // Requests are limited per ticket task (as the product limits tickets per pass), not per client.
  const clients = {
    jira: jsonClient(sims.jira.url, SIM_JIRA_USER.email, SIM_JIRA_USER.token, 1_000),
    airflow: jsonClient(sims.airflow.url, SIM_AIRFLOW_USER.username, SIM_AIRFLOW_USER.password, 1_000),
  };
  return {
    name: 'naive',
    state: null,
    adopt(tickets) {
      for (const ticket of tickets) {
        if (ticket.dagRunId) state.inFlight.set(ticket.key, { dagId: `scraper_${ticket.source}`, dagRunId: ticket.dagRunId, state: 'running' });
      }
    },
    async pass(options = {}) {
      const result = await naivePass(clients, state, { project: 'SCR', concurrency: CONCURRENCY, ...options });
      return {
        wallMs: result.wallMs,
        peakRssMiB: null,
        estimated: result.estimated,
        roundTrips: null,
        errors: 0,
        ...(result.estimated ? { plannedRequests: result.plannedRequests } : {}),
      };
    },
    close: () => undefined,
  };
}
