import { existsSync } from 'node:fs';
import type { Clock } from '../clock.js';
import { openReadOnly, openWritable, type Db } from './connection.js';
import { getCursor, setCursor } from './cursor-repo.js';
import { acquireLock, type HeldLock } from './lock.js';
import { assertNotNewer, migrate, schemaVersion, SchemaVersionError, SCHEMA_VERSION } from './migrations.js';
import type { LockHolder, RunStore } from './run-store.js';
import { findRequest, insertRun, latestForIssue, listRuns, unfinished, updateRun } from './runs-repo.js';

export { readLockHolder, LockLostError } from './lock.js';
export { SchemaVersionError } from './migrations.js';

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
}

export interface SqliteStore extends RunStore {
  readonly path: string;
  readonly readOnly: boolean;
  /** The stale holder whose lock this writer took over, worth a log line; null otherwise. */
  readonly tookOverLockFrom: LockHolder | null;
  /** Tells other processes the writer still lives; the daemon calls it every pass. */
  heartbeat(): void;
}

/**
 * Opens the state file: a writer migrates it and holds the single-writer lock until close();
 * a reader (readOnly) takes no lock, never writes, and sees no records when the file does not exist.
 */
export async function openStore(path: string, options: StoreOptions): Promise<SqliteStore> {
  if (options.readOnly) return openReader(path);
  const db = withPath(path, () => openWritable(path));
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
    return storeOn(db, path, lock);
  } catch (error) {
    db.close();
    throw error;
  }
}

function openReader(path: string): SqliteStore {
  if (path === ':memory:' || !existsSync(path)) return emptyReader(path);
  const db = withPath(path, () => openReadOnly(path));
  const version = schemaVersion(db);
  if (version === 0) {
    db.close();
    return emptyReader(path);
  }
  if (version !== SCHEMA_VERSION) {
    db.close();
    throw new SchemaVersionError(path, version, SCHEMA_VERSION);
  }
  return storeOn(db, path, null);
}

/** No file yet means no records: an empty in-memory schema answers every query the same way. */
function emptyReader(path: string): SqliteStore {
  const db = openWritable(':memory:');
  migrate(db, ':memory:');
  return storeOn(db, path, null);
}

function storeOn(db: Db, path: string, lock: HeldLock | null): SqliteStore {
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

  return {
    path,
    readOnly: lock === null,
    tookOverLockFrom: lock?.tookOverFrom ?? null,
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

function withPath(path: string, open: () => Db): Db {
  try {
    return open();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `Cannot open the state store ${path}: ${reason}. Check that RECONCILER_DB names the reconciler's SQLite file ` +
        'and that its directory is writable.',
      { cause: error },
    );
  }
}
