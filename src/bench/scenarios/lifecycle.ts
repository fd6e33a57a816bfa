import { addTallies, EMPTY_TALLY, perTicket, round2, since, tally, triggerThroughput, type Tally, type Throughput } from '../counting.js';
import { isAnnounced, isFinal, seedReady } from '../seed.js';
import { mark, startBenchSims } from '../sims.js';
import { addRoundTrips, NO_ROUND_TRIPS, type RoundTrips } from '../statement-log.js';
import type { MakeStrategy, StateBackend, Strategy, StrategyName } from '../strategies.js';
import type { BenchSims } from '../sims.js';

/** Each phase of a run (queued, running) lasts this long on the Airflow clock, which the bench moves on. */
const PHASE_MS = 30 * 60 * 1000;
/** Trigger, see running, see ended, plus room for a strategy that needs a pass more. */
const MAX_PASSES = 6;

/**
 * How long runs take against the pass interval: `seen-running` has every run seen queued, then running,
 * then ended (a Run Status edit each step); `ends-between-passes` has runs end before the next pass sees
 * them running, as short scrapes do.
 */
export type LifecycleKind = 'seen-running' | 'ends-between-passes';

export interface LifecycleFigures {
  kind: LifecycleKind;
  strategy: StrategyName;
  /** Where the product kept its state; null for the naive strategy, which keeps it in memory. */
  state: StateBackend | null;
  tickets: number;
  passes: number;
  finished: number;
  /** Ticket errors the passes counted: a pass that failed a ticket's write did it again in a later pass. */
  errors: number;
  requests: { jira: Tally; airflow: Tally };
  perTicket: { total: number; jira: number; airflow: number; jiraByRoute: Record<string, number>; airflowByRoute: Record<string, number> };
  /** Sum of the passes' own durations. */
  wallMs: number;
  /** From the first request of the first pass to each ticket's last write in it. */
  triggerThroughput: Throughput & { announced: number };
  peakRssMiB: number | null;
  /** PostgreSQL only: the statements each pass sent (from the server's log), their sum and its share per ticket. */
  database: { perPass: RoundTrips[]; total: RoundTrips; perTicket: number } | null;
}

/**
 * N tickets from Ready to their final status: the first pass triggers them all, then the Airflow clock
 * moves on so the next pass sees every run running and the one after sees every run ended.
 */
export async function lifecycle(n: number, make: MakeStrategy, latencyMs: number, kind: LifecycleKind = 'seen-running'): Promise<LifecycleFigures> {
  const sims = await startBenchSims({ queuedMs: PHASE_MS, runningMs: PHASE_MS });
  try {
    return await drive(sims, await make(sims), n, latencyMs, kind);
  } finally {
    await sims.close();
  }
}

async function drive(sims: BenchSims, strategy: Strategy, n: number, latencyMs: number, kind: LifecycleKind): Promise<LifecycleFigures> {
  try {
    const tickets = seedReady(sims, n);
    sims.armLatency(latencyMs);
    const start = mark(sims);
    let jira = EMPTY_TALLY;
    let airflow = EMPTY_TALLY;
    let wallMs = 0;
    let peak: number | null = null;
    let passes = 0;
    let throughput: LifecycleFigures['triggerThroughput'] | null = null;
    const roundTrips: RoundTrips[] = [];
    let errors = 0;
    while (passes < MAX_PASSES) {
      if (passes > 0) sims.advanceAirflow(kind === 'ends-between-passes' ? 2 * PHASE_MS : PHASE_MS);
      const before = mark(sims);
      const outcome = await strategy.pass();
      passes++;
      wallMs += outcome.wallMs;
      if (outcome.roundTrips) roundTrips.push(outcome.roundTrips);
      errors += outcome.errors;
      if (outcome.peakRssMiB !== null) peak = Math.max(peak ?? 0, outcome.peakRssMiB);
      jira = addTallies(jira, tally(since(sims.jira.log.entries, before.jira)));
      airflow = addTallies(airflow, tally(since(sims.airflow.log.entries, before.airflow)));
      if (passes === 1) {
        const announced = tickets.filter((t) => isAnnounced(sims, t.key)).length;
        throughput = { ...triggerThroughput(since(sims.jira.log.entries, start.jira), tickets), announced };
      }
      if (tickets.every((t) => isFinal(sims, t.key))) break;
    }
    const jiraPer = perTicket(jira, n);
    const airflowPer = perTicket(airflow, n);
    const dbTotal = roundTrips.reduce(addRoundTrips, NO_ROUND_TRIPS);
    return {
      kind,
      strategy: strategy.name,
      state: strategy.state?.backend ?? null,
      tickets: n,
      passes,
      finished: tickets.filter((t) => isFinal(sims, t.key)).length,
      errors,
      requests: { jira, airflow },
      perTicket: {
        total: Math.round(((jira.total + airflow.total) / n) * 100) / 100,
        jira: jiraPer.total,
        airflow: airflowPer.total,
        jiraByRoute: jiraPer.byRoute,
        airflowByRoute: airflowPer.byRoute,
      },
      wallMs,
      triggerThroughput: throughput ?? { tickets: 0, seconds: 0, perSecond: 0, announced: 0 },
      peakRssMiB: peak,
      database: strategy.state?.backend === 'postgres' ? { perPass: roundTrips, total: dbTotal, perTicket: round2(dbTotal.total / n) } : null,
    };
  } finally {
    await strategy.close();
  }
}
