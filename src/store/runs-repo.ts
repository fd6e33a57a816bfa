import type { Db } from './connection.js';
import type { NewRunRecord, RecordState, RunFilter, RunRecord, RunRecordPatch } from './run-record.js';
import { INSERT_COLUMNS, insertValues, PATCH_COLUMNS, toRunRecord, type RunRow } from './run-row.js';

const SELECT = 'SELECT * FROM runs';
// Same predicate as the partial index runs_unfinished (migration 2), so SQLite can use it.
const UNFINISHED = `state NOT IN ('success', 'failed', 'cancelled', 'invalid') OR jira_phase <> 'finished'`;

export function findRun(db: Db, id: number): RunRecord | null {
  const row = db.prepare<[number], RunRow>(`${SELECT} WHERE id = ?`).get(id);
  return row ? toRunRecord(row) : null;
}

export function findRequest(db: Db, jiraIssueKey: string, requestId: string): RunRecord | null {
  const row = db
    .prepare<[string, string], RunRow>(`${SELECT} WHERE jira_issue_key = ? AND request_id = ?`)
    .get(jiraIssueKey, requestId);
  return row ? toRunRecord(row) : null;
}

export function latestForIssue(db: Db, jiraIssueKey: string): RunRecord | null {
  const row = db
    .prepare<[string], RunRow>(`${SELECT} WHERE jira_issue_key = ? ORDER BY attempt DESC, id DESC LIMIT 1`)
    .get(jiraIssueKey);
  return row ? toRunRecord(row) : null;
}

/** Oldest first, so a backlog is worked in the order it arrived. */
export function unfinished(db: Db): RunRecord[] {
  return db.prepare<[], RunRow>(`${SELECT} WHERE ${UNFINISHED} ORDER BY id`).all().map(toRunRecord);
}

/** Idempotent per (key, requestId): an existing request comes back unchanged. */
export function insertRun(db: Db, record: NewRunRecord, now: Date): RunRecord {
  return db
    .transaction(() => {
      const existing = findRequest(db, record.jiraIssueKey, record.requestId);
      if (existing) return existing;
      const attempt = record.attempt ?? nextAttempt(db, record.jiraIssueKey);
      const at = now.toISOString();
      const info = withDagRunIdCheck(db, record.airflowDagRunId ?? null, () =>
        db
          .prepare(
            `INSERT INTO runs (${INSERT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(...insertValues(record, attempt, at)),
      );
      return mustFind(db, Number(info.lastInsertRowid));
    })
    .immediate();
}

export function updateRun(db: Db, id: number, patch: RunRecordPatch, now: Date): RunRecord {
  const sets: string[] = [];
  const values: unknown[] = [];
  for (const [field, column] of Object.entries(PATCH_COLUMNS)) {
    const value = patch[field as keyof RunRecordPatch];
    if (value === undefined) continue;
    sets.push(`${column} = ?`);
    values.push(value);
  }
  sets.push('updated_at = ?');
  values.push(now.toISOString());
  const info = withDagRunIdCheck(db, patch.airflowDagRunId ?? null, () =>
    db.prepare(`UPDATE runs SET ${sets.join(', ')} WHERE id = ?`).run(...values, id),
  );
  if (info.changes === 0) throw new Error(`No run record with id ${id}: it cannot be updated.`);
  return mustFind(db, id);
}

/** Newest first. An empty `issueKeys` or `states` list does not filter. */
export function listRuns(db: Db, filter: RunFilter = {}): RunRecord[] {
  const where: string[] = [];
  const values: (string | number)[] = [];
  if (filter.issueKeys?.length) {
    where.push(`jira_issue_key IN (${placeholders(filter.issueKeys)})`);
    values.push(...filter.issueKeys);
  }
  if (filter.states?.length) {
    where.push(`state IN (${placeholders(filter.states)})`);
    values.push(...(filter.states satisfies readonly RecordState[]));
  }
  let sql = `${SELECT}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC`;
  if (filter.limit !== undefined) {
    if (!Number.isInteger(filter.limit) || filter.limit < 0) {
      throw new RangeError(`The run list limit must be a whole number of 0 or more, got ${filter.limit}.`);
    }
    sql += ' LIMIT ?';
    values.push(filter.limit);
  }
  return db.prepare<unknown[], RunRow>(sql).all(...values).map(toRunRecord);
}

function nextAttempt(db: Db, jiraIssueKey: string): number {
  const row = db
    .prepare<[string], { max: number | null }>('SELECT MAX(attempt) AS max FROM runs WHERE jira_issue_key = ?')
    .get(jiraIssueKey);
  return (row?.max ?? 0) + 1;
}

function mustFind(db: Db, id: number): RunRecord {
  const record = findRun(db, id);
  if (!record) throw new Error(`Run record ${id} vanished inside its own transaction.`);
  return record;
}

function placeholders(values: readonly unknown[]): string {
  return values.map(() => '?').join(', ');
}

/** One DAG run serves one request: say which request already owns the id instead of a bare constraint error. */
function withDagRunIdCheck<T>(db: Db, dagRunId: string | null, write: () => T): T {
  try {
    return write();
  } catch (error) {
    if (dagRunId === null || !isDagRunIdConflict(error)) throw error;
    const owner = db
      .prepare<[string], RunRow>(`${SELECT} WHERE airflow_dag_run_id = ?`)
      .get(dagRunId);
    const who = owner ? `${owner.jira_issue_key} request ${owner.request_id}` : 'another request';
    throw new Error(`DAG run id ${dagRunId} is already recorded for ${who}; one DAG run cannot serve two requests.`, {
      cause: error,
    });
  }
}

function isDagRunIdConflict(error: unknown): boolean {
  return (
    error instanceof Error &&
    (error as { code?: unknown }).code === 'SQLITE_CONSTRAINT_UNIQUE' &&
    error.message.includes('runs.airflow_dag_run_id')
  );
}
