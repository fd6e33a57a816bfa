import type { Config } from '../config/schema.js';
import type { Dag as PortDag, DagRun as PortDagRun } from './gateway.js';
import type { Dag, DagRun } from './schema.js';

type ApiVersion = Config['airflow']['apiVersion'];

export function toDag(dag: Dag, apiVersion: ApiVersion): PortDag {
  // Airflow 3 dropped is_active for is_stale (a DAG whose file is gone); Airflow 2 may send null.
  const isActive = apiVersion === 'v1' ? (dag.is_active ?? null) : dag.is_stale == null ? null : !dag.is_stale;
  // Airflow 2 documents is_paused as nullable; null means nobody paused it.
  return { dagId: dag.dag_id, isPaused: dag.is_paused ?? false, isActive };
}

export function toDagRun(run: DagRun): PortDagRun {
  return {
    dagId: run.dag_id,
    dagRunId: run.dag_run_id,
    state: run.state,
    startDate: isoOrNull(run.start_date),
    endDate: isoOrNull(run.end_date),
  };
}

/** Airflow writes `+00:00` offsets; the store and `runs` keep one form, UTC with `Z`. */
function isoOrNull(value: string | null | undefined): string | null {
  if (!value) return null;
  const at = Date.parse(value);
  return Number.isNaN(at) ? value : new Date(at).toISOString();
}
