import type { NewOutboxRow, OutboxRow } from '../outbox-repo.js';
import type { Queryable } from './queryable.js';

interface Row {
  id: number;
  event_key: string;
  channel: string;
  payload: unknown;
  attempts: number;
  next_attempt_at: Date;
  claimed_at: Date | null;
  sent_at: Date | null;
  given_up_at: Date | null;
  last_error: string | null;
  created_at: Date;
}

// Same predicate as the partial index outbox_due (migration 3), so PostgreSQL can use it.
const UNSENT = 'sent_at IS NULL AND given_up_at IS NULL';
const COLUMNS = 'id, event_key, channel, payload, attempts, next_attempt_at, claimed_at, sent_at, given_up_at, last_error, created_at';
const MAX_ERROR_CHARS = 1_000;

/** Adds the rows whose event key is new; returns how many. One statement: atomic on its own. */
export async function enqueue(sql: Queryable, rows: readonly NewOutboxRow[], now: Date): Promise<number> {
  if (rows.length === 0) return 0;
  // Serialised here, inside the caller's transaction: a payload that cannot be written fails it whole.
  const payloads = rows.map((row) => JSON.stringify(row.payload));
  const result = await sql.query(
    `INSERT INTO outbox (event_key, channel, payload, next_attempt_at, created_at)
     SELECT key, channel, payload::jsonb, $4, $4 FROM unnest($1::text[], $2::text[], $3::text[]) AS t(key, channel, payload)
     ON CONFLICT (event_key) DO NOTHING`,
    [rows.map((row) => row.eventKey), rows.map((row) => row.channel), payloads, now.toISOString()],
  );
  return result.rowCount ?? 0;
}

export async function due(sql: Queryable, now: Date, limit: number): Promise<OutboxRow[]> {
  const { rows } = await sql.query<Row>(
    `SELECT ${COLUMNS} FROM outbox WHERE ${UNSENT} AND next_attempt_at <= $1 ORDER BY next_attempt_at, id LIMIT $2`,
    [now.toISOString(), limit],
  );
  return rows.map(toOutboxRow);
}

/** The row locks make two claims at once take turns: the second finds the row no longer due. */
export async function claim(sql: Queryable, id: number, now: Date, leaseMs: number, epoch: number | null): Promise<OutboxRow | null> {
  const { rows } = await sql.query<Row>(
    `UPDATE outbox SET attempts = attempts + 1, claimed_at = $1, next_attempt_at = $2, claimed_epoch = $3
     WHERE id = $4 AND ${UNSENT} AND next_attempt_at <= $1 RETURNING ${COLUMNS}`,
    [now.toISOString(), new Date(now.getTime() + leaseMs).toISOString(), epoch, id],
  );
  return rows[0] ? toOutboxRow(rows[0]) : null;
}

/** The first delivery recorded stands: a second sender's (after a lease changed hands) changes nothing. */
export async function markSent(sql: Queryable, id: number, now: Date): Promise<void> {
  await sql.query('UPDATE outbox SET sent_at = $1, claimed_at = NULL, last_error = NULL WHERE id = $2 AND sent_at IS NULL', [now.toISOString(), id]);
}

export async function markFailed(sql: Queryable, id: number, error: string, nextAttemptAt: Date): Promise<void> {
  await sql.query('UPDATE outbox SET claimed_at = NULL, last_error = $1, next_attempt_at = $2 WHERE id = $3', [
    error.slice(0, MAX_ERROR_CHARS),
    nextAttemptAt.toISOString(),
    id,
  ]);
}

export async function giveUp(sql: Queryable, id: number, error: string, now: Date): Promise<void> {
  await sql.query('UPDATE outbox SET claimed_at = NULL, last_error = $1, given_up_at = $2 WHERE id = $3', [
    error.slice(0, MAX_ERROR_CHARS),
    now.toISOString(),
    id,
  ]);
}

/**
 * Makes due now the rows claimed under an older leader epoch than `epoch`, or under none (a row copied
 * from SQLite); every claimed row when `epoch` is null (a writer without a lease is the only one). A
 * claim of the current epoch is this leader's own send in progress and is left alone.
 */
export async function releaseClaims(sql: Queryable, now: Date, epoch: number | null): Promise<number> {
  const result = await sql.query(
    `UPDATE outbox SET next_attempt_at = $1
     WHERE claimed_at IS NOT NULL AND ${UNSENT} AND next_attempt_at > $1
       AND ($2::bigint IS NULL OR claimed_epoch IS NULL OR claimed_epoch < $2::bigint)`,
    [now.toISOString(), epoch],
  );
  return result.rowCount ?? 0;
}

export async function listOutbox(sql: Queryable): Promise<OutboxRow[]> {
  const { rows } = await sql.query<Row>(`SELECT ${COLUMNS} FROM outbox ORDER BY id`);
  return rows.map(toOutboxRow);
}

function toOutboxRow(row: Row): OutboxRow {
  return {
    id: row.id,
    eventKey: row.event_key,
    channel: row.channel,
    payload: row.payload,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at.toISOString(),
    claimedAt: row.claimed_at?.toISOString() ?? null,
    sentAt: row.sent_at?.toISOString() ?? null,
    givenUpAt: row.given_up_at?.toISOString() ?? null,
    lastError: row.last_error,
    createdAt: row.created_at.toISOString(),
  };
}
