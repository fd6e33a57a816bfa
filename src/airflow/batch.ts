import pLimit from 'p-limit';
import type { Config } from '../config/schema.js';
import { isUpstreamError, type UpstreamError, type UpstreamErrorKind } from '../http/errors.js';
import type { AirflowClient } from './client.js';
import type { DagRun } from './gateway.js';
import { toDagRun } from './map.js';
import { DAG_RUNS_BATCH_PATH } from './paths.js';
import { DagRunCollection } from './schema.js';

/** Airflow's default `maximum_page_limit`; a larger page is cut to it anyway. */
export const BATCH_PAGE_LIMIT = 100;
/** Beyond this many pages the rest is asked run by run: a too-wide filter must not page forever. */
export const BATCH_MAX_PAGES = 20;
/** Reach before `since`: clock skew between this host and Airflow, and runs created just before their record. */
export const BATCH_SINCE_MARGIN_MS = 60 * 60_000;

export interface RunRef {
  dagId: string;
  dagRunId: string;
}

export interface BatchDeps {
  client: AirflowClient;
  apiVersion: Config['airflow']['apiVersion'];
  concurrency: number;
  getDagRun(dagId: string, dagRunId: string): Promise<DagRun | null>;
  onBatchRefused?: (error: UpstreamError) => void;
}

const BATCH_FALLBACK_KINDS: ReadonlySet<UpstreamErrorKind> = new Set(['not_found', 'bad_request', 'bad_response']);

/**
 * The date filter that also keeps queued runs, which have no start_date yet. Airflow 2 gives a triggered
 * run its logical (execution) date at once; Airflow 3 triggers get `logical_date: null`, but always a `run_after`.
 */
export function batchDateFilter(apiVersion: Config['airflow']['apiVersion'], since: Date): Record<string, string> {
  const from = new Date(since.getTime() - BATCH_SINCE_MARGIN_MS).toISOString();
  return apiVersion === 'v1' ? { execution_date_gte: from } : { run_after_gte: from };
}

/**
 * The asked runs via the batch list, paged until all are seen; the rest one by one, so a run the filter
 * missed is still found. Runs Airflow does not have are left out. Order follows `runs`.
 */
export async function fetchDagRuns(deps: BatchDeps, runs: readonly RunRef[], since: Date): Promise<DagRun[]> {
  const wanted = new Map(runs.map((run) => [keyOf(run), run]));
  if (wanted.size === 0) return [];
  const found = new Map<string, DagRun>();
  const body = {
    dag_ids: [...new Set(runs.map((run) => run.dagId))],
    ...batchDateFilter(deps.apiVersion, since),
    page_limit: BATCH_PAGE_LIMIT,
  };
  // Enough pages for every asked run (the filter also returns runs not asked for), never unbounded.
  const maxPages = Math.max(BATCH_MAX_PAGES, 2 * Math.ceil(wanted.size / BATCH_PAGE_LIMIT));
  try {
    for (let page = 0; page < maxPages && found.size < wanted.size; page++) {
      const offset = page * BATCH_PAGE_LIMIT;
      const { dag_runs: items, total_entries: total } = await deps.client.send(
        { method: 'POST', path: DAG_RUNS_BATCH_PATH, data: { ...body, page_offset: offset } },
        DagRunCollection,
      );
      for (const item of items) {
        const run = toDagRun(item);
        if (wanted.has(keyOf(run))) found.set(keyOf(run), run);
      }
      if (items.length < BATCH_PAGE_LIMIT || (total !== undefined && offset + items.length >= total)) break;
    }
  } catch (error) {
    // A server without the batch endpoint (or refusing its filter) still answers run by run below.
    if (!isUpstreamError(error) || !BATCH_FALLBACK_KINDS.has(error.kind)) throw error;
    deps.onBatchRefused?.(error);
  }

  const limit = pLimit(deps.concurrency);
  const missing = [...wanted].filter(([key]) => !found.has(key));
  await Promise.all(
    missing.map(([key, ref]) =>
      limit(async () => {
        const run = await deps.getDagRun(ref.dagId, ref.dagRunId);
        if (run) found.set(key, run);
      }),
    ),
  );
  return [...wanted.keys()].flatMap((key) => found.get(key) ?? []);
}

function keyOf(run: RunRef): string {
  return JSON.stringify([run.dagId, run.dagRunId]);
}
