import type { NewRunRecord, RecordState, RunFilter, RunRecord, RunRecordPatch } from '../run-record.js';
import { INSERT_COLUMNS, insertValues, PATCH_COLUMNS, toRunRecord, type RunRow } from '../run-row.js';
import type { Queryable } from './queryable.js';

// params is `json`: read back as the text that was written, like SQLite's column.
const COLUMNS = `id, jira_issue_key, request_id, attempt, source, run_type, environment, params::text AS params,
  airflow_dag_id, airflow_dag_run_id, state, jira_phase, platform_run_id, item_count, error, last_problem, due_at,
  stuck_at, requested_at, summary, created_at, updated_at, started_at, finished_at`;
const SELECT = `SELECT ${COLUMNS} FROM runs`;
// Same predicate as the partial index runs_unfinished (migration 2), so PostgreSQL can use it.
const UNFINISHED = `state NOT IN ('success', 'failed', 'cancelled', 'invalid') OR jira_phase <> 'finished'`;
// The first key of the two-key advisory lock that serialises the attempt numbering of one ticket.
const ATTEMPT_LOCK = 72_419;

type PgRunRow = Omit<RunRow, 'item_count'> & { item_count: string | number | null };

function toRecord(row: PgRunRow): RunRecord {
  return toRunRecord({ ...row, item_count: row.item_count === null ? null : Number(row.item_count) });
}

async function one(sql: Queryable, text: string, values: unknown[]): Promise<RunRecord | null> {
  const { rows } = await sql.query<PgRunRow>(text, values);
  return rows[0] ? toRecord(rows[0]) : null;
}

export function findRequest(sql: Queryable, jiraIssueKey: string, requestId: string): Promise<RunRecord | null> {
  return one(sql, `${SELECT} WHERE jira_issue_key = $1 AND request_id = $2`, [jiraIssueKey, requestId]);
}

export function latestForIssue(sql: Queryable, jiraIssueKey: string): Promise<RunRecord | null> {
  return one(sql, `${SELECT} WHERE jira_issue_key = $1 ORDER BY attempt DESC, id DESC LIMIT 1`, [jiraIssueKey]);
}

/** Oldest first, so a backlog is worked in the order it arrived. */
export async function unfinished(sql: Queryable): Promise<RunRecord[]> {
  const { rows } = await sql.query<PgRunRow>(`${SELECT} WHERE ${UNFINISHED} ORDER BY id`);
  return rows.map(toRecord);
}

/** Idempotent per (key, requestId); call inside a transaction (the attempt lock lasts until it ends). */
export async function insertRun(sql: Queryable, record: NewRunRecord, now: Date): Promise<RunRecord> {
  await sql.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [ATTEMPT_LOCK, record.jiraIssueKey]);
  const existing = await findRequest(sql, record.jiraIssueKey, record.requestId);
  if (existing) return existing;
  const attempt = record.attempt ?? (await nextAttempt(sql, record.jiraIssueKey));
  const at = now.toISOString();
  const inserted = await withDagRunIdCheck(sql, record.airflowDagRunId ?? null, () =>
    one(
      sql,
      `INSERT INTO runs (${INSERT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
       RETURNING ${COLUMNS}`,
      insertValues(record, attempt, at),
    ),
  );
  if (!inserted) throw new Error(`The run record of ${record.jiraIssueKey} request ${record.requestId} was not written.`);
  return inserted;
}

export async function updateRun(sql: Queryable, id: number, patch: RunRecordPatch, now: Date): Promise<RunRecord> {
  const sets: string[] = [];
  const values: unknown[] = [];
  for (const [field, column] of Object.entries(PATCH_COLUMNS)) {
    const value = patch[field as keyof RunRecordPatch];
    if (value === undefined) continue;
    values.push(value);
    sets.push(`${column} = $${values.length}`);
  }
  values.push(now.toISOString());
  sets.push(`updated_at = $${values.length}`);
  values.push(id);
  const updated = await withDagRunIdCheck(sql, patch.airflowDagRunId ?? null, () =>
    one(sql, `UPDATE runs SET ${sets.join(', ')} WHERE id = $${values.length} RETURNING ${COLUMNS}`, values),
  );
  if (!updated) throw new Error(`No run record with id ${id}: it cannot be updated.`);
  return updated;
}

/** Newest first. An empty `issueKeys` or `states` list does not filter. */
export async function listRuns(sql: Queryable, filter: RunFilter = {}): Promise<RunRecord[]> {
  const where: string[] = [];
  const values: unknown[] = [];
  if (filter.issueKeys?.length) {
    values.push([...filter.issueKeys]);
    where.push(`jira_issue_key = ANY($${values.length})`);
  }
  if (filter.states?.length) {
    values.push([...(filter.states satisfies readonly RecordState[])]);
    where.push(`state = ANY($${values.length})`);
  }
  let text = `${SELECT}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC`;
  if (filter.limit !== undefined) {
    if (!Number.isInteger(filter.limit) || filter.limit < 0) {
      throw new RangeError(`The run list limit must be a whole number of 0 or more, got ${filter.limit}.`);
    }
    values.push(filter.limit);
    text += ` LIMIT $${values.length}`;
  }
  const { rows } = await sql.query<PgRunRow>(text, values);
  return rows.map(toRecord);
}

async function nextAttempt(sql: Queryable, jiraIssueKey: string): Promise<number> {
  const { rows } = await sql.query<{ max: number | null }>('SELECT MAX(attempt) AS max FROM runs WHERE jira_issue_key = $1', [jiraIssueKey]);
  return (rows[0]?.max ?? 0) + 1;
}

/**
 * One DAG run serves one request: say which request already owns the id instead of a bare constraint
 * error. Inside a savepoint (writes run in a transaction), so the owner can still be read after it.
 */
async function withDagRunIdCheck<T>(sql: Queryable, dagRunId: string | null, write: () => Promise<T>): Promise<T> {
  if (dagRunId === null) return write();
  await sql.query('SAVEPOINT dag_run_id');
  try {
    const result = await write();
    await sql.query('RELEASE SAVEPOINT dag_run_id');
    return result;
  } catch (error) {
    await sql.query('ROLLBACK TO SAVEPOINT dag_run_id');
    if (!isDagRunIdConflict(error)) throw error;
    const owner = await one(sql, `${SELECT} WHERE airflow_dag_run_id = $1`, [dagRunId]);
    const who = owner ? `${owner.jiraIssueKey} request ${owner.requestId}` : 'another request';
    throw new Error(`DAG run id ${dagRunId} is already recorded for ${who}; one DAG run cannot serve two requests.`, {
      cause: error,
    });
  }
}

function isDagRunIdConflict(error: unknown): boolean {
  const e = error as { code?: unknown; constraint?: unknown };
  return e.code === '23505' && e.constraint === 'runs_airflow_dag_run_id';
}
