import type { Cursor } from '../cursor-repo.js';
import type { OutboxRow } from '../outbox-repo.js';
import type { RunRecord } from '../run-record.js';
import { setCursor } from './pg-cursor.js';
import type { Queryable } from './queryable.js';

/** Everything a state store holds, as read from another one. */
export interface StateSnapshot {
  runs: readonly RunRecord[];
  outbox: readonly OutboxRow[];
  cursor: Cursor;
}

export interface ImportCounts {
  runs: number;
  outbox: number;
  /** Run records the database held before, replaced (only with force). */
  replaced: number;
}

/** The database already holds records and `--force` was not given; nothing was written. */
export class StateNotEmptyError extends Error {
  override readonly name = 'StateNotEmptyError';
  constructor(
    readonly where: string,
    readonly records: number,
  ) {
    super(
      `The PostgreSQL state database ${where} already holds ${records} run record(s): nothing was copied. ` +
        'Pass --force to replace its records, cursor and outbox with the copy, or point --to at an empty database.',
    );
  }
}

/** A daemon leads on the database: replacing its state under it would split what it knows. */
export class StateInUseError extends Error {
  override readonly name = 'StateInUseError';
}

const CHUNK = 500;

/**
 * Copies the runs (ids kept, so logs and `runs` still match them), the outbox and the cursor, in the
 * caller's transaction, then moves the id sequences past the copied ids. Replaces what the database
 * holds only when forced, and never under a live leader.
 */
export async function importSnapshot(sql: Queryable, snapshot: StateSnapshot, options: { force: boolean; where: string }): Promise<ImportCounts> {
  await sql.query('LOCK TABLE runs, outbox, cursor IN EXCLUSIVE MODE');
  const leader = await sql.query<{ hostname: string; pid: number; command: string }>(
    'SELECT hostname, pid, command FROM leader_lease WHERE id = 1 AND expires_at > now()',
  );
  const held = leader.rows[0];
  if (held) {
    throw new StateInUseError(
      `A ${held.command} (pid ${held.pid} on ${held.hostname}) leads on this state database: nothing was copied. ` +
        'Stop every daemon that uses it, wait for its lease to end, then copy again.',
    );
  }
  const count = Number((await sql.query<{ n: string }>('SELECT COUNT(*) AS n FROM runs')).rows[0]?.n ?? 0);
  if (count > 0 && !options.force) throw new StateNotEmptyError(options.where, count);
  await sql.query('DELETE FROM outbox');
  await sql.query('DELETE FROM runs');
  await sql.query('DELETE FROM cursor');
  const ordered = [...snapshot.runs].sort((a, b) => a.id - b.id);
  for (let i = 0; i < ordered.length; i += CHUNK) await insertRuns(sql, ordered.slice(i, i + CHUNK));
  for (let i = 0; i < snapshot.outbox.length; i += CHUNK) await insertOutbox(sql, snapshot.outbox.slice(i, i + CHUNK));
  await setCursor(sql, snapshot.cursor);
  for (const table of ['runs', 'outbox']) {
    await sql.query(
      `SELECT setval(pg_get_serial_sequence('${table}', 'id'), COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) FROM ${table}`,
    );
  }
  return { runs: ordered.length, outbox: snapshot.outbox.length, replaced: count };
}

async function insertRuns(sql: Queryable, runs: readonly RunRecord[]): Promise<void> {
  const column = <T>(pick: (run: RunRecord) => T): T[] => runs.map(pick);
  await sql.query(
    `INSERT INTO runs (id, jira_issue_key, request_id, attempt, source, run_type, environment, params, airflow_dag_id,
       airflow_dag_run_id, state, jira_phase, platform_run_id, item_count, error, last_problem, due_at, stuck_at,
       requested_at, summary, created_at, updated_at, started_at, finished_at)
     SELECT id, key, request, attempt, source, run_type, environment, params::json, dag_id, dag_run_id, state, phase,
       platform_run_id, item_count, error, last_problem, due_at, stuck_at, requested_at, summary, created_at,
       updated_at, started_at, finished_at
     FROM unnest($1::int[], $2::text[], $3::text[], $4::int[], $5::text[], $6::text[], $7::text[], $8::text[],
       $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::bigint[], $15::text[], $16::text[],
       $17::text[], $18::text[], $19::text[], $20::text[], $21::text[], $22::text[], $23::text[], $24::text[])
       AS t(id, key, request, attempt, source, run_type, environment, params, dag_id, dag_run_id, state, phase,
         platform_run_id, item_count, error, last_problem, due_at, stuck_at, requested_at, summary, created_at,
         updated_at, started_at, finished_at)`,
    [
      column((r) => r.id),
      column((r) => r.jiraIssueKey),
      column((r) => r.requestId),
      column((r) => r.attempt),
      column((r) => r.source),
      column((r) => r.runType),
      column((r) => r.environment),
      column((r) => r.params),
      column((r) => r.airflowDagId),
      column((r) => r.airflowDagRunId),
      column((r) => r.state),
      column((r) => r.jiraPhase),
      column((r) => r.platformRunId),
      column((r) => r.itemCount),
      column((r) => r.error),
      column((r) => r.lastProblem),
      column((r) => r.dueAt),
      column((r) => r.stuckAt),
      column((r) => r.requestedAt),
      column((r) => r.summary),
      column((r) => r.createdAt),
      column((r) => r.updatedAt),
      column((r) => r.startedAt),
      column((r) => r.finishedAt),
    ],
  );
}

async function insertOutbox(sql: Queryable, rows: readonly OutboxRow[]): Promise<void> {
  const column = <T>(pick: (row: OutboxRow) => T): T[] => rows.map(pick);
  await sql.query(
    `INSERT INTO outbox (id, event_key, channel, payload, attempts, next_attempt_at, claimed_at, sent_at, given_up_at,
       last_error, created_at)
     SELECT id, key, channel, payload::jsonb, attempts, next_at, claimed_at, sent_at, given_up_at, last_error, created_at
     FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::int[], $6::timestamptz[], $7::timestamptz[],
       $8::timestamptz[], $9::timestamptz[], $10::text[], $11::timestamptz[])
       AS t(id, key, channel, payload, attempts, next_at, claimed_at, sent_at, given_up_at, last_error, created_at)`,
    [
      column((r) => r.id),
      column((r) => r.eventKey),
      column((r) => r.channel),
      column((r) => JSON.stringify(r.payload)),
      column((r) => r.attempts),
      column((r) => r.nextAttemptAt),
      column((r) => r.claimedAt),
      column((r) => r.sentAt),
      column((r) => r.givenUpAt),
      column((r) => r.lastError),
      column((r) => r.createdAt),
    ],
  );
}
