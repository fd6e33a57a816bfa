import type { SimRequest, SimResponse } from '../common/http.js';
import type { Dialect } from './dialect.js';
import { optionalInt, optionalStringList } from './input.js';
import { limitParam, offsetParam } from './paging.js';
import { queryRuns, type DateField, type RangeOp, type RunQuery } from './query.js';
import { collectRanges, MAX_PAGE_LIMIT } from './run-filters.js';
import type { AirflowState } from './state.js';
import type { SimDagRun } from './types.js';

/** How a version reads the filters of a run list. */
export interface RunListReading {
  /** API field name → the run's date (Airflow 2 calls the logical date execution_date). */
  dateFields: Record<string, DateField>;
  ops: readonly RangeOp[];
  /** Reads and checks order_by; called after the date filters, so a bad date is the error reported. */
  orderBy: () => RunQuery['orderBy'];
}

/** The run `:dagId`/`:dagRunId` name, if there is one. */
export function runAtPath(state: AirflowState, req: SimRequest): SimDagRun | undefined {
  return state.find(req.params.dagId ?? '', req.params.dagRunId ?? '');
}

/** Answers with `then` for the run the path names, or with the version's 404 when there is none. */
export function withRun(state: AirflowState, req: SimRequest, dialect: Dialect, then: (run: SimDagRun) => SimResponse): SimResponse {
  const run = runAtPath(state, req);
  return run ? then(run) : dialect.dagRunNotFound(req.params.dagId ?? '', req.params.dagRunId ?? '');
}

/** GET /dags/{dag_id}/dagRuns, where `~` stands for every DAG. */
export function runListQuery(req: SimRequest, reading: RunListReading, defaultLimit: number): RunQuery {
  const query: RunQuery = {
    ranges: collectRanges((name) => req.query.get(name) ?? undefined, reading.dateFields, reading.ops, 'query'),
    orderBy: reading.orderBy(),
    offset: offsetParam(req.query),
    limit: limitParam(req.query, defaultLimit),
    states: req.query.getAll('state'),
  };
  const dagId = req.params.dagId ?? '';
  if (dagId !== '~') query.dagIds = [dagId];
  return query;
}

/** POST /dags/~/dagRuns/list: the same filters from a JSON body whose keys the version has checked. */
export function batchRunQuery(body: Record<string, unknown>, reading: RunListReading, minPageLimit: number): RunQuery {
  const query: RunQuery = {
    ranges: collectRanges((name) => body[name], reading.dateFields, reading.ops, 'body'),
    orderBy: reading.orderBy(),
    offset: optionalInt(body, 'page_offset', 0) ?? 0,
    limit: Math.min(optionalInt(body, 'page_limit', minPageLimit) ?? 100, MAX_PAGE_LIMIT),
  };
  const dagIds = optionalStringList(body, 'dag_ids');
  const states = optionalStringList(body, 'states');
  if (dagIds) query.dagIds = dagIds;
  if (states) query.states = states;
  return query;
}

/** One page of the runs the query selects, with the count of all of them. */
export function runPage(state: AirflowState, query: RunQuery, dialect: Dialect): SimResponse {
  const { page, total } = queryRuns(state.runs(), query);
  return { status: 200, body: { dag_runs: page.map(dialect.dagRunView), total_entries: total } };
}
