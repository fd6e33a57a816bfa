import { z } from 'zod';
import { isUpstreamError, type UpstreamError, type UpstreamErrorKind } from '../http/errors.js';
import { BATCH_PAGE_LIMIT } from './batch.js';
import { CHANGES_MAX_PAGES } from './changes.js';
import type { AirflowClient } from './client.js';
import type { InFlightRun } from './gateway.js';
import { DAG_RUNS_BATCH_PATH, dagRunsPath } from './paths.js';
import { DagRun } from './schema.js';

/** A run with its conf: which ticket, source and environment it was started for. */
const RunWithConf = DagRun.extend({ conf: z.record(z.string(), z.unknown()).nullish() });
const RunsWithConf = z.object({ dag_runs: z.array(RunWithConf), total_entries: z.int().nonnegative().optional() });
type RunsWithConf = z.infer<typeof RunsWithConf>;

const LIVE = ['queued', 'running'];
const BATCH_FALLBACK_KINDS: ReadonlySet<UpstreamErrorKind> = new Set(['not_found', 'bad_request', 'bad_response']);

export interface InFlightDeps {
  client: AirflowClient;
  onBatchRefused?: (error: UpstreamError) => void;
}

/**
 * The queued and running runs of these DAGs that a ticket started (their conf names a Jira issue): what
 * holds the in-flight caps' slots, whatever the state file remembers. One request per 100 runs in flight.
 */
export async function fetchInFlightRuns(deps: InFlightDeps, dagIds: readonly string[]): Promise<InFlightRun[]> {
  if (dagIds.length === 0) return [];
  let raw: RunsWithConf['dag_runs'];
  try {
    raw = await pages((offset) =>
      deps.client.send(
        { method: 'POST', path: DAG_RUNS_BATCH_PATH, data: { dag_ids: [...dagIds], states: LIVE, page_limit: BATCH_PAGE_LIMIT, page_offset: offset } },
        RunsWithConf,
      ),
    );
  } catch (error) {
    // A server without the batch endpoint still lists each DAG's runs by state.
    if (!isUpstreamError(error) || !BATCH_FALLBACK_KINDS.has(error.kind)) throw error;
    deps.onBatchRefused?.(error);
    raw = [];
    for (const dagId of dagIds) {
      for (const state of LIVE) raw.push(...(await dagRunsIn(deps, dagId, state)));
    }
  }
  return raw.flatMap((run) => {
    const conf = run.conf ?? {};
    const issueKey = conf.jira_issue_key;
    if (typeof issueKey !== 'string' || !LIVE.includes(run.state)) return [];
    return [{ dagId: run.dag_id, dagRunId: run.dag_run_id, issueKey, source: text(conf.source), environment: text(conf.environment) }];
  });
}

/** One DAG's runs in one state; a DAG this Airflow does not have has none. */
async function dagRunsIn(deps: InFlightDeps, dagId: string, state: string): Promise<RunsWithConf['dag_runs']> {
  try {
    return await pages((offset) => deps.client.send({ method: 'GET', path: dagRunsPath(dagId), params: { state, limit: BATCH_PAGE_LIMIT, offset } }, RunsWithConf));
  } catch (error) {
    if (isUpstreamError(error, 'not_found')) return [];
    throw error;
  }
}

function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

async function pages(fetch: (offset: number) => Promise<RunsWithConf>): Promise<RunsWithConf['dag_runs']> {
  const runs: RunsWithConf['dag_runs'] = [];
  for (let page = 0; page < CHANGES_MAX_PAGES; page++) {
    const offset = page * BATCH_PAGE_LIMIT;
    const { dag_runs: items, total_entries: total } = await fetch(offset);
    runs.push(...items);
    if (items.length < BATCH_PAGE_LIMIT || (total !== undefined && offset + items.length >= total)) break;
  }
  return runs;
}
