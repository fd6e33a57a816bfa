import { closeSync, existsSync, mkdirSync, openSync, readSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

export type Db = Database.Database;

export const BUSY_TIMEOUT_MS = 5_000;

export interface ConnectionOptions {
  /** How long SQLite waits for another connection's lock before SQLITE_BUSY. */
  busyTimeoutMs?: number | undefined;
}

/**
 * The file's bytes are not a sound SQLite database (SQLite said NOTADB or CORRUPT, or quick_check
 * found damage). Never thrown for a busy, locked, unreadable or I/O-failing file: those are left alone.
 */
export class DamagedStoreError extends Error {
  override readonly name = 'DamagedStoreError';
  constructor(
    readonly path: string,
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(`The state store ${path} is damaged: ${reason}.`, options);
  }
}

/** A read-write connection with the store's pragmas, checked sound first; creates the parent directory. */
export function openWritable(path: string, options: ConnectionOptions = {}): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const timeout = options.busyTimeoutMs ?? BUSY_TIMEOUT_MS;
  const checked = path === ':memory:' || !existsSync(path) || verifiedReadOnly(path, timeout);
  const db = new Database(path, { timeout });
  try {
    db.pragma(`busy_timeout = ${timeout}`);
    if (!checked) asDamage(path, () => assertIntact(db, path));
    asDamage(path, () => {
      db.pragma('journal_mode = WAL');
      // FULL: a trigger recorded as done must survive a power cut, or a restart could trigger again.
      db.pragma('synchronous = FULL');
      db.pragma('foreign_keys = ON');
    });
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * quick_check on a read-only connection: closing the last writable connection deletes the -wal and
 * -shm, even of a file SQLite cannot read, and the -wal may hold the newest records a post-mortem
 * needs. False when a read-only connection cannot check it (a hot journal to roll back): the writable
 * connection checks it then.
 */
function verifiedReadOnly(path: string, timeout: number): boolean {
  let db: Db | undefined;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true, timeout });
    db.pragma(`busy_timeout = ${timeout}`);
    const connection = db;
    asDamage(path, () => assertIntact(connection, path));
    return true;
  } catch (error) {
    if (error instanceof DamagedStoreError || !/^SQLITE_(READONLY|CANTOPEN)/.test(String((error as { code?: unknown }).code))) throw error;
    return false;
  } finally {
    db?.close();
  }
}

/**
 * A read-only connection to an existing file; it never writes, so it needs no lock. `verify` runs
 * quick_check (the `runs` command and doctor); the lock reader skips it to read a damaged file's holder.
 */
export function openReadOnly(path: string, options: { verify?: boolean } = {}): Db {
  const db = new Database(path, { readonly: true, fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  try {
    asDamage(path, () => {
      db.pragma('foreign_keys = ON');
      // Reads the header, so a file that is not SQLite fails here rather than at the first query.
      db.pragma('user_version');
      if (options.verify) assertIntact(db, path);
    });
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** SQLite's own word that the bytes are bad. BUSY, LOCKED, CANTOPEN, READONLY, PERM and IOERR are not. */
export function isDamageCode(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT' || code.startsWith('SQLITE_CORRUPT_'));
}

/** Another connection holds a lock: wait, never treat the file as damaged. */
export function isBusyCode(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^SQLITE_(BUSY|LOCKED)(_|$)/.test(code);
}

/** The process may not read or write the file or its directory. */
export function isPermissionCode(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^(EACCES|EPERM|EROFS|SQLITE_(CANTOPEN|READONLY|PERM|AUTH))(_|$)/.test(code);
}

const SQLITE_MAGIC = 'SQLite format 3\u0000';
const HEADER_BYTES = 100;
const USER_VERSION_OFFSET = 60;

/**
 * user_version straight from the 100-byte file header, or null when the file is not (the start of)
 * a SQLite file. SQLite itself may refuse to read even the header of a damaged file, and a file from a
 * newer release must be refused, never moved aside, however damaged it is.
 */
export function headerUserVersion(path: string): number | null {
  const fd = openSync(path, 'r');
  try {
    const header = Buffer.alloc(HEADER_BYTES);
    const read = readSync(fd, header, 0, HEADER_BYTES, 0);
    if (read < HEADER_BYTES || header.toString('latin1', 0, SQLITE_MAGIC.length) !== SQLITE_MAGIC) return null;
    return header.readInt32BE(USER_VERSION_OFFSET);
  } finally {
    closeSync(fd);
  }
}

function assertIntact(db: Db, path: string): void {
  const rows = db.pragma('quick_check') as Array<{ quick_check: string }>;
  const problems = rows.map((row) => row.quick_check).filter((text) => text !== 'ok');
  if (problems.length === 0) return;
  const first = problems.join('; ').replace(/\s+/g, ' ').slice(0, 200);
  throw new DamagedStoreError(path, `quick_check found damage (${first})`);
}

function asDamage<T>(path: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof DamagedStoreError || !isDamageCode(error)) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new DamagedStoreError(path, `SQLite says "${message}" (${(error as { code: string }).code})`, { cause: error });
  }
}
