import type { JiraPhase, NewRunRecord, RecordState, RunRecord, RunRecordPatch } from './run-record.js';

/** A `runs` row as SQLite returns it. The CHECK constraints guarantee the unions. */
export interface RunRow {
  id: number;
  jira_issue_key: string;
  request_id: string;
  attempt: number;
  source: string | null;
  run_type: string | null;
  environment: string | null;
  params: string | null;
  airflow_dag_id: string | null;
  airflow_dag_run_id: string | null;
  state: RecordState;
  jira_phase: JiraPhase;
  platform_run_id: string | null;
  item_count: number | null;
  error: string | null;
  last_problem: string | null;
  due_at: string | null;
  stuck_at: string | null;
  requested_at: string | null;
  summary: string | null;
  created_at: string;
  updated_at: string;
  started_at: string | null;
  finished_at: string | null;
}

export function toRunRecord(row: RunRow): RunRecord {
  return {
    id: row.id,
    jiraIssueKey: row.jira_issue_key,
    requestId: row.request_id,
    attempt: row.attempt,
    source: row.source,
    runType: row.run_type,
    environment: row.environment,
    params: row.params,
    airflowDagId: row.airflow_dag_id,
    airflowDagRunId: row.airflow_dag_run_id,
    state: row.state,
    jiraPhase: row.jira_phase,
    platformRunId: row.platform_run_id,
    itemCount: row.item_count,
    error: row.error,
    lastProblem: row.last_problem,
    dueAt: row.due_at,
    stuckAt: row.stuck_at,
    requestedAt: row.requested_at,
    summary: row.summary ?? null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}

/** The only columns an update may touch; also keeps field names out of the SQL text. */
export const PATCH_COLUMNS: { readonly [K in keyof Required<RunRecordPatch>]: keyof RunRow } = {
  state: 'state',
  jiraPhase: 'jira_phase',
  platformRunId: 'platform_run_id',
  itemCount: 'item_count',
  error: 'error',
  lastProblem: 'last_problem',
  dueAt: 'due_at',
  stuckAt: 'stuck_at',
  startedAt: 'started_at',
  finishedAt: 'finished_at',
  airflowDagId: 'airflow_dag_id',
  airflowDagRunId: 'airflow_dag_run_id',
};

/** The columns an insert fills, in order, then created_at and updated_at (both `at`): one list for both backends. */
export const INSERT_COLUMNS =
  'jira_issue_key, request_id, attempt, source, run_type, environment, params, airflow_dag_id, airflow_dag_run_id, state, error, requested_at, summary, created_at, updated_at';

/** The values of INSERT_COLUMNS for a new record. */
export function insertValues(record: NewRunRecord, attempt: number, at: string): unknown[] {
  return [
    record.jiraIssueKey,
    record.requestId,
    attempt,
    record.source,
    record.runType,
    record.environment,
    record.params,
    record.airflowDagId,
    record.airflowDagRunId,
    record.state,
    record.error ?? null,
    record.requestedAt ?? null,
    record.summary ?? null,
    at,
    at,
  ];
}
