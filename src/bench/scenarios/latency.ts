import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { JiraDeployment } from '../../sandbox/jira/deployment.js';
import { passSlices, perMinute, type PassMark } from '../pass-slices.js';
import { percentiles, type Percentiles } from '../percentiles.js';
import { productEnv, startDaemon } from '../product.js';
import { isFinal, SOURCES, type SeededTicket } from '../seed.js';
import { mark, startBenchSims, type BenchSims } from '../sims.js';
import { latencies, READY, ticketTimes } from '../ticket-times.js';
import { until } from '../until.js';
import { addTallies, EMPTY_TALLY, type Tally } from '../counting.js';

/** The daemon's default interval (CONTRACT §2): at it, the scenario leaves RECONCILE_INTERVAL_SECONDS unset. */
export const DEFAULT_INTERVAL_SECONDS = 30;
/** Arrivals this far apart in intervals: not a simple fraction, so the arrivals fall all over the interval. */
const SPACING_IN_INTERVALS = 0.2433;
/** A short scrape: queued 1 s, then running 5 s plus a share of an interval that differs by ticket (see readyTicket). */
const TIMING = { queuedMs: 1_000, runningMs: 5_000 };
/** The golden ratio's fraction: run lengths that end all over the interval, not in step with the passes. */
const SPREAD = 0.618;
/** Passes with nothing to do that the idle rate is counted over. */
const IDLE_PASSES = 2;

export interface LatencyFigures {
  deployment: JiraDeployment;
  intervalSeconds: number;
  tickets: number;
  finished: number;
  /** Ticket in Ready to Run → its DAG run exists (Jira's history → Airflow's queued_at). */
  pickup: Percentiles | null;
  /** Run ended → ticket in its final status (Airflow's end_date → Jira's history). */
  runEnd: Percentiles | null;
  /** Requests a minute with nothing to do (every ticket final, nothing in flight), counted over whole passes. */
  idle: { passes: number; seconds: number; jiraPerMinute: number; airflowPerMinute: number; jira: Tally; airflow: Tally };
}

/**
 * Tickets put in Ready to Run one by one at uneven points of the daemon's interval, each run a short
 * scrape: how long a person waits for the run to exist and, once it ended, for the ticket's final
 * status, read from the simulators' own records; then what the idle daemon keeps asking.
 */
export async function latencyAndIdle(n: number, deployment: JiraDeployment, intervalSeconds: number, latencyMs: number): Promise<LatencyFigures> {
  const sims = await startBenchSims(TIMING, deployment);
  const dir = mkdtempSync(join(tmpdir(), 'reconciler-bench-'));
  try {
    sims.armLatency(latencyMs);
    const marks: Array<PassMark & { at: number }> = [];
    const interval = intervalSeconds === DEFAULT_INTERVAL_SECONDS ? {} : { RECONCILE_INTERVAL_SECONDS: String(intervalSeconds) };
    const daemon = startDaemon(productEnv(sims, join(dir, 'reconciler.db'), interval), () => marks.push({ ...mark(sims), at: Date.now() }));
    const intervalMs = intervalSeconds * 1000;
    try {
      await until(() => marks.length >= 1, 2 * intervalMs + 30_000, 'the first pass');
      const tickets: SeededTicket[] = [];
      for (let i = 0; i < n; i++) {
        if (i > 0) await delay(SPACING_IN_INTERVALS * intervalMs);
        tickets.push(readyTicket(sims, i, TIMING.runningMs + ((i * SPREAD) % 1) * intervalMs));
      }
      await until(() => tickets.every((t) => isFinal(sims, t.key)), 4 * intervalMs + 60_000, 'every ticket final');
      // The pass that finished the last ticket may still be running: idle starts at the next completion.
      const idleFrom = marks.length + 1;
      await until(() => marks.length >= idleFrom + IDLE_PASSES, (IDLE_PASSES + 2) * intervalMs + 30_000, `${IDLE_PASSES} idle passes`);
      const start = marks[idleFrom - 1];
      const end = marks[idleFrom - 1 + IDLE_PASSES];
      if (!start || !end) throw new Error('The idle passes were not marked');
      const idle = passSlices(sims.jira.log.entries, sims.airflow.log.entries, start, marks.slice(idleFrom, idleFrom + IDLE_PASSES));
      const jira = idle.reduce((sum, slice) => addTallies(sum, slice.jira), EMPTY_TALLY);
      const airflow = idle.reduce((sum, slice) => addTallies(sum, slice.airflow), EMPTY_TALLY);
      const elapsedMs = end.at - start.at;
      const times = tickets.map((t) => ticketTimes(sims.jira.issue(t.key).histories, runsOf(sims, t.key)));
      const { pickupMs, runEndMs } = latencies(times);
      return {
        deployment,
        intervalSeconds,
        tickets: n,
        finished: tickets.filter((t) => isFinal(sims, t.key)).length,
        pickup: percentiles(pickupMs),
        runEnd: percentiles(runEndMs),
        idle: {
          passes: IDLE_PASSES,
          seconds: Math.round(elapsedMs / 100) / 10,
          jiraPerMinute: perMinute(jira.total, elapsedMs),
          airflowPerMinute: perMinute(airflow.total, elapsedMs),
          jira,
          airflow,
        },
      };
    } finally {
      await daemon.stop(15_000);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await sims.close();
  }
}

/**
 * One valid request, as a person makes it: created, then moved to Ready to Run; its run lasts
 * `runningMs`, so run ends fall at every point of the pass interval, as real scrapes' do.
 */
function readyTicket(sims: BenchSims, i: number, runningMs: number): SeededTicket {
  const source = SOURCES[i % SOURCES.length] ?? 'lafa';
  const { key, id } = sims.jira.createIssue({ source, runType: 'DELTA', environment: 'prod', params: { limit: i + 1 } });
  sims.airflow.plan({ confMatch: { jira_issue_key: key } }, { state: 'success', durationMs: Math.round(runningMs) });
  sims.jira.moveIssue(key, READY);
  return { key, id, source };
}

function runsOf(sims: BenchSims, key: string): ReturnType<BenchSims['airflow']['runs']> {
  return sims.airflow.runs().filter((run) => run.conf.jira_issue_key === key);
}
