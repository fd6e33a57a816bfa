import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JiraDeployment } from '../../sandbox/jira/deployment.js';
import { isWrite } from '../../sandbox/common/request-match.js';
import { passSlices, type PassMark, type PassSlice } from '../pass-slices.js';
import { productEnv, startDaemon } from '../product.js';
import { isAnnounced, seedReady } from '../seed.js';
import { mark, startBenchSims } from '../sims.js';
import { until } from '../until.js';

/** Runs stay queued for the whole scenario: the triggers are the only own writes, and no run ends. */
const HOUR_MS = 60 * 60 * 1000;
/** "A minute after": the first pass starting at least this long after the burst's last write. */
const MINUTE_MS = 60_000;
const BOUND_MS = 8 * 60_000;

export interface SteadyAfterBurst {
  /** From the burst's last write to this pass's first request. */
  startsAfterSeconds: number;
  jira: PassSlice['jira'];
  airflow: PassSlice['airflow'];
  total: number;
}

export interface BurstFigures {
  deployment: JiraDeployment;
  tickets: number;
  announced: number;
  /** From the trigger pass's first request to its last write. */
  burstSeconds: number;
  /** Every pass after the trigger pass, until one starting a minute after the burst. */
  after: SteadyAfterBurst[];
  rightAfter: SteadyAfterBurst | null;
  minuteAfter: SteadyAfterBurst | null;
}

/**
 * The daemon at its default interval triggers `n` tickets in one pass (a burst of own writes), then
 * idles: what each steady pass costs right after the burst and a minute after it, counted per pass in
 * the simulators' logs.
 */
export async function burstThenSteady(n: number, deployment: JiraDeployment, latencyMs: number): Promise<BurstFigures> {
  const sims = await startBenchSims({ queuedMs: HOUR_MS, runningMs: HOUR_MS }, deployment);
  const dir = mkdtempSync(join(tmpdir(), 'reconciler-bench-'));
  try {
    const tickets = seedReady(sims, n);
    sims.armLatency(latencyMs);
    const from = mark(sims);
    const marks: PassMark[] = [];
    const daemon = startDaemon(productEnv(sims, join(dir, 'reconciler.db')), () => marks.push(mark(sims)));
    try {
      let burstEnd = Number.POSITIVE_INFINITY;
      const minuteAfterDone = (): boolean => {
        const slices = passSlices(sims.jira.log.entries, sims.airflow.log.entries, from, marks);
        const trigger = slices[0];
        if (!trigger) return false;
        burstEnd = lastWriteAt(sims.jira.log.entries.slice(from.jira, marks[0]?.jira)) ?? burstEnd;
        return slices.slice(1).some((slice) => slice.startedAt !== null && slice.startedAt - burstEnd >= MINUTE_MS);
      };
      await until(minuteAfterDone, BOUND_MS, 'a pass a minute after the burst');
      const slices = passSlices(sims.jira.log.entries, sims.airflow.log.entries, from, marks);
      const triggerStart = slices[0]?.startedAt ?? burstEnd;
      const after = slices.slice(1).map((slice) => ({
        startsAfterSeconds: Math.round(((slice.startedAt ?? burstEnd) - burstEnd) / 100) / 10,
        jira: slice.jira,
        airflow: slice.airflow,
        total: slice.total,
      }));
      return {
        deployment,
        tickets: n,
        announced: tickets.filter((t) => isAnnounced(sims, t.key)).length,
        burstSeconds: Math.round((burstEnd - triggerStart) / 100) / 10,
        after,
        rightAfter: after[0] ?? null,
        minuteAfter: after.find((pass) => pass.startsAfterSeconds * 1000 >= MINUTE_MS) ?? null,
      };
    } finally {
      await daemon.stop(15_000);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await sims.close();
  }
}

/** When the last Jira write of a stretch arrived (searches are POSTs but not writes). */
function lastWriteAt(entries: ReadonlyArray<{ method: string; path: string; at: number }>): number | null {
  const writes = entries.filter((entry) => isWrite(entry.method) && !entry.path.includes('/search'));
  return writes.length === 0 ? null : Math.max(...writes.map((entry) => entry.at));
}
