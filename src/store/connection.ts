import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

export type Db = Database.Database;

export const BUSY_TIMEOUT_MS = 5_000;

/** A read-write connection with the store's pragmas; creates the parent directory. */
export function openWritable(path: string): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path, { timeout: BUSY_TIMEOUT_MS });
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.pragma('journal_mode = WAL');
    // FULL: a trigger recorded as done must survive a power cut, or a restart could trigger again.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** A read-only connection to an existing file; it never writes, so it needs no lock. */
export function openReadOnly(path: string): Db {
  const db = new Database(path, { readonly: true, fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  try {
    db.pragma('foreign_keys = ON');
    // Reads the header, so a file that is not SQLite fails here rather than at the first query.
    db.pragma('user_version');
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
