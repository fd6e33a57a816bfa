import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { readRss, type Rss } from '../proc-status.js';
import { productEnv, startDaemon } from '../product.js';
import { isFinal, seedReady } from '../seed.js';
import { startBenchSims } from '../sims.js';
import { until } from '../until.js';

const FINISH_BOUND_MS = 150_000;
const IDLE_PASSES = 4;
const IDLE_BOUND_MS = 30_000;

export interface MemoryFigures {
  tickets: number;
  finished: number;
  passes: number;
  /** After every ticket finished and a few idle passes. */
  idleRssMiB: number | null;
  /** The same, after a full garbage collection in the daemon. */
  idleRssAfterGcMiB: number | null;
  /** The daemon's high-water mark over its whole life (VmHWM). */
  peakRssMiB: number | null;
  lifecycleMs: number;
}

/** The daemon as an operator runs it, through `tickets` requests and then idle: what it keeps resident. */
export async function daemonMemory(tickets: number, latencyMs: number): Promise<MemoryFigures> {
  const sims = await startBenchSims({ queuedMs: 500, runningMs: 1_500 });
  const dir = mkdtempSync(join(tmpdir(), 'reconciler-bench-'));
  try {
    const seeded = seedReady(sims, tickets);
    sims.armLatency(latencyMs);
    const started = Date.now();
    const daemon = startDaemon(productEnv(sims, join(dir, 'reconciler.db'), { RECONCILE_INTERVAL_SECONDS: '1' }));
    try {
      const allFinal = (): boolean => seeded.every((t) => isFinal(sims, t.key));
      await until(allFinal, FINISH_BOUND_MS, 'every ticket final');
      const lifecycleMs = Date.now() - started;
      const idleFrom = daemon.passes();
      await until(() => daemon.passes() >= idleFrom + IDLE_PASSES, IDLE_BOUND_MS, `${IDLE_PASSES} idle passes`);
      const idle = await readRss(daemon.pid);
      daemon.collectGarbage();
      await delay(1_000);
      const afterGc = await readRss(daemon.pid);
      return {
        tickets,
        finished: seeded.filter((t) => isFinal(sims, t.key)).length,
        passes: daemon.passes(),
        idleRssMiB: idle?.rssMiB ?? null,
        idleRssAfterGcMiB: afterGc?.rssMiB ?? null,
        peakRssMiB: peakOf(idle, afterGc),
        lifecycleMs,
      };
    } finally {
      await daemon.stop(15_000);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await sims.close();
  }
}

/** VmHWM is brought up to date lazily: the largest reading of either sample is the high-water mark. */
function peakOf(...samples: Array<Rss | null>): number | null {
  const values = samples.flatMap((s) => (s ? [s.rssMiB, s.peakMiB] : []));
  return values.length === 0 ? null : Math.max(...values);
}
