import type { ResultXcom } from '../airflow/gateway.js';

/** What the pipeline reported, and what was wrong with the report if anything. */
export interface RunOutcome {
  platformRunId: string | null;
  itemCount: number | null;
  error: string | null;
  /** Set when the result was missing or malformed: said in the comment, never fatal. */
  gap: string | null;
}

/** Reads the `{run_id, item_count, error}` XCom of the result task; pure and forgiving. */
export function interpretResult(xcom: ResultXcom, taskId: string): RunOutcome {
  if (xcom.kind === 'missing') {
    return { platformRunId: null, itemCount: null, error: null, gap: `The run left no result (${xcom.reason}).` };
  }
  const value = xcom.value;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return malformed(taskId, `got ${describe(value)}`);
  }
  const record = value as Record<string, unknown>;
  const runId = record.run_id;
  const count = record.item_count;
  const error = record.error;
  const problems: string[] = [];
  if (runId !== undefined && runId !== null && typeof runId !== 'string' && typeof runId !== 'number') problems.push('run_id is not a string');
  if (count !== undefined && count !== null && !(typeof count === 'number' && Number.isInteger(count) && count >= 0)) {
    problems.push('item_count is not a whole number');
  }
  if (!('run_id' in record) && !('item_count' in record) && !('error' in record)) problems.push('none of run_id, item_count, error is present');
  const outcome: RunOutcome = {
    platformRunId: typeof runId === 'string' || typeof runId === 'number' ? String(runId) : null,
    itemCount: typeof count === 'number' && Number.isInteger(count) && count >= 0 ? count : null,
    error: errorText(error),
    gap: null,
  };
  if (problems.length > 0) {
    outcome.gap = `The result of ${taskId} was malformed (${problems.join('; ')}); expected {"run_id", "item_count", "error"}.`;
  }
  return outcome;
}

/** A blank string is how many pipelines say "no error": it must not fail a successful run. */
function errorText(error: unknown): string | null {
  if (error === undefined || error === null) return null;
  if (typeof error === 'string') return error.trim() === '' ? null : error;
  return JSON.stringify(error);
}

function malformed(taskId: string, what: string): RunOutcome {
  return {
    platformRunId: null,
    itemCount: null,
    error: null,
    gap: `The result of ${taskId} was malformed (${what}); expected {"run_id", "item_count", "error"}.`,
  };
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `a string ${JSON.stringify(value.slice(0, 40))}`;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return `a ${typeof value} ${String(value)}`;
  return `a ${typeof value}`;
}
