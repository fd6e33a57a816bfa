import type { SimDagRun } from './types.js';

export type DateField = 'start_date' | 'end_date' | 'logical_date' | 'run_after' | 'updated_at';
export type RangeOp = 'gte' | 'gt' | 'lte' | 'lt';

export interface RunQuery {
  /** undefined = every DAG. */
  dagIds?: string[];
  states?: string[];
  ranges: Array<{ field: DateField; op: RangeOp; value: number }>;
  orderBy: Array<{ field: string; desc: boolean }>;
  offset: number;
  limit: number;
}

/** The fields a list may be ordered by, with aliases of both API versions. */
const ORDER_FIELDS: Record<string, (run: SimDagRun) => string | number | null> = {
  id: (run) => run.seq,
  dag_id: (run) => run.dagId,
  dag_run_id: (run) => run.dagRunId,
  run_id: (run) => run.dagRunId,
  state: (run) => run.state,
  start_date: (run) => run.startDate,
  end_date: (run) => run.endDate,
  execution_date: (run) => run.logicalDate,
  logical_date: (run) => run.logicalDate,
  run_after: (run) => run.runAfter,
  updated_at: (run) => run.updatedAt,
};

const DATE_OF: Record<DateField, (run: SimDagRun) => number | null> = {
  start_date: (run) => run.startDate,
  end_date: (run) => run.endDate,
  logical_date: (run) => run.logicalDate,
  run_after: (run) => run.runAfter,
  updated_at: (run) => run.updatedAt,
};

export function isOrderField(field: string): boolean {
  return Object.hasOwn(ORDER_FIELDS, field);
}

/** Parses `order_by` values ('-start_date'); `unknown` names the first field that cannot be ordered by. */
export function parseOrderBy(values: string[]): { ok: RunQuery['orderBy'] } | { unknown: string } {
  const ok: RunQuery['orderBy'] = [];
  for (const value of values) {
    const desc = value.startsWith('-');
    const field = desc ? value.slice(1) : value;
    if (!isOrderField(field)) return { unknown: field };
    ok.push({ field, desc });
  }
  return { ok };
}

/**
 * Filters, orders and pages like SQL would: a date filter never matches a null date (a queued run has
 * no start_date yet), and nulls sort last ascending, first descending (PostgreSQL).
 */
export function queryRuns(runs: readonly SimDagRun[], query: RunQuery): { page: SimDagRun[]; total: number } {
  const matching = runs.filter((run) => {
    if (query.dagIds && !query.dagIds.includes(run.dagId)) return false;
    if (query.states && query.states.length > 0 && !query.states.includes(run.state)) return false;
    return query.ranges.every(({ field, op, value }) => inRange(DATE_OF[field](run), op, value));
  });
  const order = query.orderBy.length > 0 ? query.orderBy : [{ field: 'id', desc: false }];
  matching.sort((a, b) => {
    for (const { field, desc } of order) {
      const key = ORDER_FIELDS[field] ?? ORDER_FIELDS.id!;
      const diff = compare(key(a), key(b));
      if (diff !== 0) return desc ? -diff : diff;
    }
    return a.seq - b.seq;
  });
  return { page: matching.slice(query.offset, query.offset + query.limit), total: matching.length };
}

function inRange(date: number | null, op: RangeOp, value: number): boolean {
  if (date === null) return false;
  if (op === 'gte') return date >= value;
  if (op === 'gt') return date > value;
  if (op === 'lte') return date <= value;
  return date < value;
}

function compare(a: string | number | null, b: string | number | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}
