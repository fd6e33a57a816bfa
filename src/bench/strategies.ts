import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SIM_AIRFLOW_USER, SIM_JIRA_USER } from '../sandbox/sim-env.js';
import { jsonClient } from './http-client.js';
import { naivePass, naiveState, type NaiveState } from './naive/strategy.js';
import { productEnv, reconcileOnce } from './product.js';
import type { SeededTicket } from './seed.js';
import type { BenchSims } from './sims.js';

/** The product's default concurrency (config http.concurrency), given to the naive strategy too. */
export const CONCURRENCY = 4;
const PASS_TIMEOUT_MS = 180_000;

export type StrategyName = 'product' | 'naive';

export interface PassOutcome {
  wallMs: number;
  /** Peak RSS of the process that ran the pass; null for the naive strategy (it runs inside the bench). */
  peakRssMiB: number | null;
  /** The naive pass was cut at its deadline and its wall time extrapolated. */
  estimated: boolean;
  /** Requests the naive pass meant to send, when cut short. */
  plannedRequests?: number;
}

export interface Strategy {
  name: StrategyName;
  /** The state file a product pass starts from; null for the naive strategy, which keeps its state in memory. */
  dbPath: string | null;
  /** Tells the strategy about runs seeded in flight (the product reads them from the seeded state file). */
  adopt(tickets: readonly SeededTicket[]): void;
  pass(options?: { deadlineMs?: number }): Promise<PassOutcome>;
  close(): void;
}

export function productStrategy(sims: BenchSims): Strategy {
  const dir = mkdtempSync(join(tmpdir(), 'reconciler-bench-'));
  const dbPath = join(dir, 'reconciler.db');
  const env = productEnv(sims, dbPath);
  return {
    name: 'product',
    dbPath,
    adopt: () => undefined,
    async pass() {
      const run = await reconcileOnce(env, PASS_TIMEOUT_MS);
      return { wallMs: run.passMs, peakRssMiB: run.peakRssMiB, estimated: false };
    },
    close: () => rmSync(dir, { recursive: true, force: true }),
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
    dbPath: null,
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
        ...(result.estimated ? { plannedRequests: result.plannedRequests } : {}),
      };
    },
    close: () => undefined,
  };
}
