import { isUpstreamError, type UpstreamError, type UpstreamErrorKind } from '../http/errors.js';
import { BATCH_PAGE_LIMIT } from './batch.js';
import type { AirflowClient } from './client.js';
import type { DagRun } from './gateway.js';
import { toDagRun } from './map.js';
import { DAG_RUNS_BATCH_PATH, dagRunsPath } from './paths.js';
import { DagRunCollection } from './schema.js';

/** A change feed wider than this many pages per filter is cut short; the periodic full resync covers the rest. */
export const CHANGES_MAX_PAGES = 200;

export interface ChangesDeps {
  client: AirflowClient;
  onBatchRefused?: (error: UpstreamError) => void;
}

const BATCH_FALLBACK_KINDS: ReadonlySet<UpstreamErrorKind> = new Set(['not_found', 'bad_request', 'bad_response']);

/**
 * The runs of these DAGs that started or ended at or after `since`: what changed, not what is in flight.
 * `start_date` and `end_date` move once per run state change (`updated_at` moves on every scheduler loop
 * of a running run), so a pass with nothing changed costs two requests, whatever is in flight.
 */
export async function fetchChangedRuns(deps: ChangesDeps, dagIds: readonly string[], since: Date): Promise<DagRun[]> {
  if (dagIds.length === 0) return [];
  const from = since.toISOString();
  const runs = new Map<string, DagRun>();
  for (const filter of ['start_date_gte', 'end_date_gte'] as const) {
    for (const run of await changedBy(deps, dagIds, { [filter]: from })) runs.set(JSON.stringify([run.dagId, run.dagRunId]), run);
  }
  return [...runs.values()];
}

async function changedBy(deps: ChangesDeps, dagIds: readonly string[], filter: Record<string, string>): Promise<DagRun[]> {
  try {
    return await pages((offset) =>
      deps.client.send(
        { method: 'POST', path: DAG_RUNS_BATCH_PATH, data: { dag_ids: [...dagIds], ...filter, page_limit: BATCH_PAGE_LIMIT, page_offset: offset } },
        DagRunCollection,
      ),
    );
  } catch (error) {
    // A server without the batch endpoint still lists each DAG's runs with the same filter.
    if (!isUpstreamError(error) || !BATCH_FALLBACK_KINDS.has(error.kind)) throw error;
    deps.onBatchRefused?.(error);
  }
  const runs: DagRun[] = [];
  for (const dagId of dagIds) {
    runs.push(
      ...(await pages((offset) =>
        deps.client.send({ method: 'GET', path: dagRunsPath(dagId), params: { ...filter, limit: BATCH_PAGE_LIMIT, offset } }, DagRunCollection),
      )),
    );
  }
  return runs;
}

async function pages(fetch: (offset: number) => Promise<DagRunCollection>): Promise<DagRun[]> {
  const runs: DagRun[] = [];
  for (let page = 0; page < CHANGES_MAX_PAGES; page++) {
    const offset = page * BATCH_PAGE_LIMIT;
    const { dag_runs: items, total_entries: total } = await fetch(offset);
    runs.push(...items.map(toDagRun));
    if (items.length < BATCH_PAGE_LIMIT || (total !== undefined && offset + items.length >= total)) break;
  }
  return runs;
}
