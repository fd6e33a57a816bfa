import type { NewOutboxRow } from './outbox-repo.js';
import type { NewRunRecord, RunFilter, RunRecord, RunRecordPatch } from './run-record.js';

/** A store answer: at once from SQLite, later from PostgreSQL. */
export type Awaitable<T> = T | Promise<T>;

/**
 * A port's calls as the engine sees them, whatever the backend: each answer awaited. SQLite's
 * synchronous store is one; PostgreSQL's, whose every call is a round trip, is another.
 */
export type AsyncPort<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => infer R ? (...args: A) => Awaitable<R> : T[K];
};

/** The state store port, as SQLite implements it. Timestamps are ISO strings; `now` comes from the caller's clock. */
export interface SyncRunStore {
  /** The record of one request, or null. */
  findRequest(jiraIssueKey: string, requestId: string): RunRecord | null;
  /** The newest record of a ticket, or null. */
  latestForIssue(jiraIssueKey: string): RunRecord | null;
  /** Records whose state is not final, or whose final write-back to Jira is not done. */
  unfinished(): RunRecord[];
  /** Inserts a record (attempt = previous attempts of the ticket + 1 unless given). Idempotent per (key, requestId). */
  insert(record: NewRunRecord, now: Date): RunRecord;
  update(id: number, patch: RunRecordPatch, now: Date): RunRecord;
  /** Updates the record and queues its notifications in one transaction: a crash keeps both or neither. */
  updateAndNotify(id: number, patch: RunRecordPatch, notifications: readonly NewOutboxRow[], now: Date): RunRecord;
  list(filter?: RunFilter): RunRecord[];

  /** The search cursor: the newest `updated` seen by a completed search, and the pass counter. */
  getCursor(): { updatedSince: Date | null; passCount: number };
  setCursor(cursor: { updatedSince: Date | null; passCount: number }): void;

  close(): void;
}

/** The state store port the engine uses: SQLite's or PostgreSQL's, every call awaited. */
export type RunStore = AsyncPort<SyncRunStore>;

export interface LockHolder {
  pid: number;
  hostname: string;
  command: string;
  startedAt: string;
}

export class LockHeldError extends Error {
  override readonly name = 'LockHeldError';
  constructor(
    readonly path: string,
    readonly holder: LockHolder | null,
  ) {
    const who = holder ? `${holder.command} (pid ${holder.pid} on ${holder.hostname}, since ${holder.startedAt})` : 'another process';
    const hint =
      holder?.command === 'daemon'
        ? ` To ask the running daemon for a pass now, send it SIGUSR1 (kill -USR1 ${holder.pid}, or systemctl kill -s USR1 jira-airflow-reconciler).`
        : ' Wait for it to finish, or stop it.';
    super(`The state store ${path} is in use by ${who}.${hint}`);
  }
}
