import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import type { Clock } from '../clock.js';
import type { Logger } from '../observability/logger.js';
import {
  DamagedStoreError,
  headerUserVersion,
  isBusyCode,
  isPermissionCode,
  openReadOnly,
  openWritable,
  type Db,
} from './connection.js';
import { getCursor, setCursor } from './cursor-repo.js';
import { acquireLock, readLockHolder, type HeldLock } from './lock.js';
import { assertNotNewer, migrate, schemaVersion, SchemaVersionError, SCHEMA_VERSION } from './migrations.js';
import { moveAside, type MovedAside } from './move-aside.js';
import { createOutbox, type SyncOutbox } from './outbox-repo.js';
import { LockHeldError, type LockHolder, type SyncRunStore } from './run-store.js';
import { findRequest, insertRun, latestForIssue, listRuns, unfinished, updateRun } from './runs-repo.js';

export { readLockHolder, LockLostError } from './lock.js';
export { SchemaVersionError } from './migrations.js';
export { DamagedStoreError } from './connection.js';
export type { MovedAside } from './move-aside.js';
export type { Outbox, SyncOutbox, OutboxRow, NewOutboxRow } from './outbox-repo.js';

export interface StoreOptions {
  clock: Clock;
  /** Who is writing, shown to a second process that finds the lock taken: 'daemon', 'reconcile', ... */
  command: string;
  /** How long to wait for another writer to let go before LockHeldError. */
  lockWaitMs: number;
  /** Read without the lock and never write (the `runs` command). */
  readOnly?: boolean;
  /** After how long without a heartbeat a holder on another host is presumed gone. */
  staleLockMs?: number;
  /** How long SQLite waits for another connection's lock (a sqlite3 shell, a backup) before giving up. */
  busyTimeoutMs?: number;
  /** Where a writer says, at error level, that it moved a damaged file aside. */
  log?: Pick<Logger, 'error'>;
}

export interface SqliteStore extends SyncRunStore {
  readonly path: string;
  readonly readOnly: boolean;
  /** The stale holder whose lock this writer took over, worth a log line; null otherwise. */
  readonly tookOverLockFrom: LockHolder | null;
  /** The damaged file this writer moved aside before starting afresh (already logged); null otherwise. */
  readonly movedAside: MovedAside | null;
  /** Notifications waiting to be sent; writes need the writer's lock like every other write. */
  readonly outbox: SyncOutbox;
  /**
   * Runs `work` in one SQLite transaction (a savepoint when nested): a record update and the
   * notifications it causes commit together or not at all.
   */
  transaction<T>(work: () => T): T;
  /** Tells other processes the writer still lives; the daemon calls it every pass. */
  heartbeat(): void;
}

/**
 * Opens the state file: a writer migrates it and holds the single-writer lock until close();
 * a reader (readOnly) takes no lock, never writes, and sees no records when the file does not exist.
 * A writer that finds the file damaged moves it aside and starts a fresh one (the next pass rebuilds
 * it from Jira and Airflow); a file from a newer release is refused and left as it is.
 */
export async function openStore(path: string, options: StoreOptions): Promise<SqliteStore> {
  if (options.readOnly) return openReader(path);
  refuseNewerFile(path);
  const { db, movedAside } = openWriterConnection(path, options);
  try {
    assertNotNewer(db, path);
    // A fresh file has no lock table yet; creating the schema is itself transactional.
    if (schemaVersion(db) === 0) migrate(db, path);
    const lock = await acquireLock(db, path, options);
    try {
      // Under the lock, so a running older writer never sees its schema change beneath it.
      migrate(db, path);
    } catch (error) {
      lock.release();
      throw error;
    }
    return storeOn(db, path, lock, movedAside);
  } catch (error) {
    db.close();
    throw error;
  }
}

function openWriterConnection(path: string, options: StoreOptions): { db: Db; movedAside: MovedAside | null } {
  const connection = { busyTimeoutMs: options.busyTimeoutMs };
  try {
    return { db: withPath(path, () => openWritable(path, connection)), movedAside: null };
  } catch (error) {
    if (!(error instanceof DamagedStoreError) || path === ':memory:') throw error;
    refuseIfHeldHere(path, error);
    const moved = moveAside(path, options.clock.now(), error.reason);
    options.log?.error(
      { path, movedTo: moved.to, reason: moved.reason },
      'The state file was damaged: it was moved aside and a fresh one created; the next pass rebuilds the records from Jira and Airflow',
    );
    return { db: withPath(path, () => openWritable(path, connection)), movedAside: moved };
  }
}

/**
 * Read from the header, not through SQLite: a newer release's file is refused even when SQLite cannot
 * read it, so it is never moved aside as damaged nor migrated down.
 */
function refuseNewerFile(path: string): void {
  if (path === ':memory:' || !existsSync(path)) return;
  const version = withPath(path, () => headerUserVersion(path));
  if (version !== null && version > SCHEMA_VERSION) throw new SchemaVersionError(path, version, SCHEMA_VERSION);
}

/** A live process on this host still has the damaged file as its store: moving it would split the state. */
function refuseIfHeldHere(path: string, damage: DamagedStoreError): void {
  let holder: LockHolder | null = null;
  try {
    holder = readLockHolder(path);
  } catch {
    // The lock table is unreadable too: no live writer could be using this file either.
  }
  if (holder && holder.hostname === hostname()) {
    throw new DamagedInUseError(path, holder, damage);
  }
}

/** A LockHeldError (callers treat it as one) that also says the file is damaged. */
export class DamagedInUseError extends LockHeldError {
  constructor(path: string, holder: LockHolder, damage: DamagedStoreError) {
    super(path, holder);
    this.message +=
      ` The file is also damaged (${damage.reason}): stop that process, then start again, and this file ` +
      'will be moved aside and a fresh one created.';
    this.cause = damage;
  }
}

function openReader(path: string): SqliteStore {
  if (path === ':memory:' || !existsSync(path)) return emptyReader(path);
  refuseNewerFile(path);
  let db: Db;
  try {
    db = withPath(path, () => openReadOnly(path, { verify: true }));
  } catch (error) {
    if (!(error instanceof DamagedStoreError)) throw error;
    throw new DamagedStoreError(path, `${error.reason}; the next \`reconcile\` or \`daemon\` moves it aside and starts a fresh one`, {
      cause: error,
    });
  }
  const version = schemaVersion(db);
  if (version === 0) {
    db.close();
    return emptyReader(path);
  }
  if (version !== SCHEMA_VERSION) {
    db.close();
    throw new SchemaVersionError(path, version, SCHEMA_VERSION);
  }
  return storeOn(db, path, null, null);
}

/** No file yet means no records: an empty in-memory schema answers every query the same way. */
function emptyReader(path: string): SqliteStore {
  const db = openWritable(':memory:');
  migrate(db, ':memory:');
  return storeOn(db, path, null, null);
}

function storeOn(db: Db, path: string, lock: HeldLock | null, movedAside: MovedAside | null): SqliteStore {
  let closed = false;
  const onExit = (): void => {
    try {
      close();
    } catch {
      // Best effort while the process ends; a row left behind names a dead pid and is taken over.
    }
  };
  if (lock) process.on('exit', onExit);

  function close(): void {
    if (closed) return;
    closed = true;
    process.off('exit', onExit);
    try {
      lock?.release();
    } finally {
      db.close();
    }
  }

  function writer(): HeldLock {
    if (!lock) throw new Error(`The state store ${path} was opened read-only; open it without readOnly to write.`);
    return lock;
  }

  const outbox = createOutbox(db);
  return {
    path,
    readOnly: lock === null,
    tookOverLockFrom: lock?.tookOverFrom ?? null,
    movedAside,
    outbox: {
      due: (now, limit) => outbox.due(now, limit),
      list: () => outbox.list(),
      enqueue(rows, now) {
        writer();
        return outbox.enqueue(rows, now);
      },
      claim(id, now, leaseMs) {
        writer();
        return outbox.claim(id, now, leaseMs);
      },
      markSent(id, now) {
        writer();
        outbox.markSent(id, now);
      },
      markFailed(id, error, nextAttemptAt) {
        writer();
        outbox.markFailed(id, error, nextAttemptAt);
      },
      giveUp(id, error, now) {
        writer();
        outbox.giveUp(id, error, now);
      },
      releaseClaims(now) {
        writer();
        return outbox.releaseClaims(now);
      },
      onEnqueue: (listener) => outbox.onEnqueue(listener),
    },
    transaction(work) {
      writer();
      return db.transaction(work)();
    },
    findRequest: (key, requestId) => findRequest(db, key, requestId),
    latestForIssue: (key) => latestForIssue(db, key),
    unfinished: () => unfinished(db),
    list: (filter) => listRuns(db, filter),
    getCursor: () => getCursor(db),
    insert(record, now) {
      writer();
      return insertRun(db, record, now);
    },
    update(id, patch, now) {
      writer();
      return updateRun(db, id, patch, now);
    },
    updateAndNotify(id, patch, notifications, now) {
      writer();
      return db.transaction(() => {
        const record = updateRun(db, id, patch, now);
        outbox.enqueue(notifications, now);
        return record;
      })();
    },
    setCursor(cursor) {
      writer();
      setCursor(db, cursor);
    },
    heartbeat() {
      writer().heartbeat();
    },
    close,
  };
}

function withPath<T>(path: string, open: () => T): T {
  try {
    return open();
  } catch (error) {
    if (error instanceof DamagedStoreError || error instanceof SchemaVersionError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Cannot open the state store ${path}: ${reason}. ${openHint(error)}`, { cause: error });
  }
}

/** Neither a locked nor an unreadable file is damaged: it is left as it is, and the fix is outside. */
function openHint(error: unknown): string {
  if (isBusyCode(error)) {
    return (
      'Another program holds a lock on the file (a sqlite3 shell, a backup, a copy in progress); the file was left ' +
      'as it is. Wait for it to finish or stop it, then start again.'
    );
  }
  if (isPermissionCode(error)) {
    return (
      'This user may not read or write it; the file was left as it is. Run as the service user, or give it read ' +
      'and write access to the file and its directory (SQLite writes -wal and -shm files beside it), or set RECONCILER_DB.'
    );
  }
  return "Check that RECONCILER_DB names the reconciler's SQLite file and that its directory is writable.";
}
