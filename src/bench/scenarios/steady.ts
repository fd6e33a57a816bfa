import { jiraWrites, since, tally, type Tally } from '../counting.js';
import { seedInFlight } from '../seed.js';
import { mark, startBenchSims, type BenchSims } from '../sims.js';
import type { RoundTrips } from '../statement-log.js';
import type { MakeStrategy, PassOutcome, StateBackend, Strategy, StrategyName } from '../strategies.js';

/** Seeded runs stay running for the whole bench. */
const LONG_RUN_MS = 30 * 24 * 60 * 60 * 1000;
/** The naive pass at 10,000 in flight would take minutes: it is cut here and its wall time extrapolated. */
const NAIVE_DEADLINE_MS = 10_000;

export interface PassFigures {
  requests: { jira: Tally; airflow: Tally; total: number };
  jiraWrites: number;
  wallMs: number;
  estimated: boolean;
  peakRssMiB: number | null;
  /** PostgreSQL only: the statements the pass sent, from the server's log. */
  roundTrips: RoundTrips | null;
  /** Tickets the pass counted as errors. */
  errors: number;
}

export interface SteadyFigures {
  strategy: StrategyName;
  /** Where the product kept its state; null for the naive strategy, which keeps it in memory. */
  state: StateBackend | null;
  inFlight: number;
  seedMs: number;
  /** The product's first pass on the seeded state file: a full resync (the safety net), for reference. */
  resync: PassFigures | null;
  /** One pass with nothing changed. */
  steady: PassFigures;
  /** Every steady pass measured (the product runs two, the figure is the last). */
  steadyPasses: PassFigures[];
}

/** `inFlight` runs already triggered and announced, nothing changing: what one more pass costs. */
export async function steadyPass(inFlight: number, make: MakeStrategy, latencyMs: number): Promise<SteadyFigures> {
  const sims = await startBenchSims({ queuedMs: 1_000, runningMs: LONG_RUN_MS });
  try {
    return await measureSteady(sims, await make(sims), inFlight, latencyMs);
  } finally {
    await sims.close();
  }
}

async function measureSteady(sims: BenchSims, strategy: Strategy, inFlight: number, latencyMs: number): Promise<SteadyFigures> {
  try {
    const seedStarted = Date.now();
    strategy.adopt(await seedInFlight(sims, inFlight, strategy.state));
    const seedMs = Date.now() - seedStarted;
    sims.armLatency(latencyMs);
    const measure = async (): Promise<PassFigures> => {
      const before = mark(sims);
      const outcome: PassOutcome = await strategy.pass({ deadlineMs: NAIVE_DEADLINE_MS });
      const jiraEntries = since(sims.jira.log.entries, before.jira);
      const jira = tally(jiraEntries);
      const airflow = tally(since(sims.airflow.log.entries, before.airflow));
      const sent = jira.total + airflow.total;
      return {
        requests: { jira, airflow, total: outcome.plannedRequests ?? sent },
        jiraWrites: jiraWrites(jiraEntries),
        wallMs: outcome.wallMs,
        estimated: outcome.estimated,
        peakRssMiB: outcome.peakRssMiB,
        roundTrips: outcome.roundTrips,
        errors: outcome.errors,
      };
    };
    // The product starts from a state file without a cursor: its first pass is a full resync.
    const resync = strategy.name === 'product' ? await measure() : null;
    const steadyPasses = [await measure()];
    if (strategy.name === 'product') steadyPasses.push(await measure());
    const steady = steadyPasses.at(-1) as PassFigures;
    const state = strategy.state?.backend ?? null;
    return { strategy: strategy.name, state, inFlight, seedMs, resync, steady, steadyPasses };
  } finally {
    await strategy.close();
  }
}
