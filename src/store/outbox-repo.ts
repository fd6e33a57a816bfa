import type { Db } from './connection.js';
import type { AsyncPort } from './run-store.js';

/** A notification waiting to be sent, or sent, or given up on. Times are ISO strings. */
export interface OutboxRow {
  id: number;
  /** `<channel>:<issue>:<requestId>:<event>[:<attempt>]`: one row per notification, ever. */
  eventKey: string;
  channel: string;
  /** The parsed JSON payload; the notify module validates its shape. */
  payload: unknown;
  /** Sends started (a claim counts one, even when the process died during it). */
  attempts: number;
  /** When the row is due: the next try, or the end of a claim's lease while it is being sent. */
  nextAttemptAt: string;
  /** When the last send started; null when none is under way. */
  claimedAt: string | null;
  sentAt: string | null;
  givenUpAt: string | null;
  lastError: string | null;
  createdAt: string;
}

export interface NewOutboxRow {
  eventKey: string;
  channel: string;
  payload: unknown;
}

/** The outbox port, as SQLite implements it. Every write is one statement, so each is atomic on its own. */
export interface SyncOutbox {
  /** Adds the rows whose event key is new; a repeated key is ignored. Returns how many were added. */
  enqueue(rows: readonly NewOutboxRow[], now: Date): number;
  /** Unsent rows due at `now`, oldest due first. */
  due(now: Date, limit: number): OutboxRow[];
  /**
   * Marks a due row as being sent: one more attempt, and due again only when the lease ends (so a
   * process that dies mid-send leaves it to be retried). Null when it is no longer due (sent, given
   * up, or claimed by another drain).
   */
  claim(id: number, now: Date, leaseMs: number): OutboxRow | null;
  /**
   * Records that the far side accepted the row; the first record stands. On PostgreSQL it is not fenced:
   * a delivery stays true after the sender lost its lease, and recording it keeps the next leader from
   * sending the message again.
   */
  markSent(id: number, now: Date): void;
  /** Ends the claim after a failed send; the row is due again at `nextAttemptAt`. */
  markFailed(id: number, error: string, nextAttemptAt: Date): void;
  giveUp(id: number, error: string, now: Date): void;
  /**
   * Makes every claimed row due at `now` instead of when its lease ends. Only for a process that has
   * just taken the writer's lock: no other process can be sending, so each claim is a send its dead
   * holder never finished. The claim stays on the row, so the drain treats it as a send cut short (and
   * gives it up once its attempts are used). Returns how many rows were released.
   */
  releaseClaims(now: Date): number;
  /**
   * Calls `listener` after rows were added, possibly inside the caller's transaction: it must not read
   * the outbox before the current synchronous work ends. Returns the way to stop listening.
   */
  onEnqueue(listener: () => void): () => void;
  /** Every row, oldest first (for `runs`, doctor and tests). */
  list(): OutboxRow[];
}

/** The outbox port the drain uses: SQLite's or PostgreSQL's, every call awaited but `onEnqueue`. */
export type Outbox = AsyncPort<Omit<SyncOutbox, 'onEnqueue'>> & Pick<SyncOutbox, 'onEnqueue'>;

interface Row {
  id: number;
  event_key: string;
  channel: string;
  payload: string;
  attempts: number;
  next_attempt_at: string;
  claimed_at: string | null;
  sent_at: string | null;
  given_up_at: string | null;
  last_error: string | null;
  created_at: string;
}

// Same predicate as the partial index outbox_due (migration 3), so SQLite can use it.
const UNSENT = 'sent_at IS NULL AND given_up_at IS NULL';
const MAX_ERROR_CHARS = 1_000;

export function createOutbox(db: Db): SyncOutbox {
  const listeners = new Set<() => void>();
  return {
    enqueue(rows, now) {
      const insert = db.prepare(
        `INSERT INTO outbox (event_key, channel, payload, next_attempt_at, created_at)
         VALUES (?, ?, ?, ?, ?) ON CONFLICT (event_key) DO NOTHING`,
      );
      const at = now.toISOString();
      const added = db.transaction(() => {
        let count = 0;
        for (const row of rows) count += insert.run(row.eventKey, row.channel, JSON.stringify(row.payload), at, at).changes;
        return count;
      })();
      if (added > 0) for (const listener of listeners) listener();
      return added;
    },
    due(now, limit) {
      return db
        .prepare<[string, number], Row>(
          `SELECT * FROM outbox WHERE ${UNSENT} AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?`,
        )
        .all(now.toISOString(), limit)
        .map(toOutboxRow);
    },
    claim(id, now, leaseMs) {
      const at = now.toISOString();
      const info = db
        .prepare(
          `UPDATE outbox SET attempts = attempts + 1, claimed_at = ?, next_attempt_at = ?
           WHERE id = ? AND ${UNSENT} AND next_attempt_at <= ?`,
        )
        .run(at, new Date(now.getTime() + leaseMs).toISOString(), id, at);
      if (info.changes === 0) return null;
      const row = db.prepare<[number], Row>('SELECT * FROM outbox WHERE id = ?').get(id);
      return row ? toOutboxRow(row) : null;
    },
    markSent(id, now) {
      db.prepare('UPDATE outbox SET sent_at = ?, claimed_at = NULL, last_error = NULL WHERE id = ? AND sent_at IS NULL').run(now.toISOString(), id);
    },
    markFailed(id, error, nextAttemptAt) {
      db.prepare('UPDATE outbox SET claimed_at = NULL, last_error = ?, next_attempt_at = ? WHERE id = ?').run(
        error.slice(0, MAX_ERROR_CHARS),
        nextAttemptAt.toISOString(),
        id,
      );
    },
    giveUp(id, error, now) {
      db.prepare('UPDATE outbox SET claimed_at = NULL, last_error = ?, given_up_at = ? WHERE id = ?').run(
        error.slice(0, MAX_ERROR_CHARS),
        now.toISOString(),
        id,
      );
    },
    releaseClaims(now) {
      const at = now.toISOString();
      return db
        .prepare(`UPDATE outbox SET next_attempt_at = ? WHERE claimed_at IS NOT NULL AND ${UNSENT} AND next_attempt_at > ?`)
        .run(at, at).changes;
    },
    onEnqueue(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    list() {
      return db.prepare<[], Row>('SELECT * FROM outbox ORDER BY id').all().map(toOutboxRow);
    },
  };
}

function toOutboxRow(row: Row): OutboxRow {
  return {
    id: row.id,
    eventKey: row.event_key,
    channel: row.channel,
    payload: JSON.parse(row.payload) as unknown,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    claimedAt: row.claimed_at,
    sentAt: row.sent_at,
    givenUpAt: row.given_up_at,
    lastError: row.last_error,
    createdAt: row.created_at,
  };
}
