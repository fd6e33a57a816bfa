import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Clock } from '../clock.js';
import { SCHEMA_VERSION } from '../store/migrations.js';
import type { LockHolder } from '../store/run-store.js';
import { openStore, readLockHolder, SchemaVersionError } from '../store/sqlite-store.js';
import { fail, pass, skipped, type Check } from './checks.js';
import { countOf } from '../words.js';

const FILE = 'state file';
const LOCK = 'state lock';
/** A one-off pass holding the lock longer than this looks hung (a normal pass takes seconds to minutes). */
export const STUCK_HOLDER_MS = 15 * 60_000;

/** The state file can be opened (or created) and written, and no hung process holds its lock. */
export async function storeChecks(path: string, clock: Clock): Promise<Check[]> {
  if (path === ':memory:') return [pass(FILE, 'in memory: nothing is kept between runs'), pass(LOCK, 'none: in memory')];
  const file = await fileCheck(path, clock);
  if (!file.ok) return [file, skipped(LOCK, 'a readable state file', FILE)];
  return [file, lockCheck(path, clock.now())];
}

async function fileCheck(path: string, clock: Clock): Promise<Check> {
  const dir = dirname(path);
  if (!existsSync(path)) {
    const ancestor = nearestExisting(dir);
    if (!isWritableDir(ancestor)) {
      return fail(FILE, `cannot create ${path}: ${ancestor} is not a writable directory`, writeHint(path));
    }
    return pass(FILE, `${path} does not exist yet; the first pass creates it (${ancestor} is writable)`);
  }
  if (!isWritable(path) || !isWritableDir(dir)) {
    return fail(FILE, `${path} or its directory is not writable by this user`, writeHint(path));
  }
  try {
    const store = await openStore(path, { clock, command: 'doctor', lockWaitMs: 0, readOnly: true });
    store.close();
    return pass(FILE, `${path}: schema v${SCHEMA_VERSION}, writable`);
  } catch (error) {
    if (error instanceof SchemaVersionError && error.fileVersion < error.codeVersion) {
      return pass(FILE, `${path}: schema v${error.fileVersion}; the next reconcile or daemon migrates it to v${error.codeVersion}`);
    }
    if (error instanceof SchemaVersionError) {
      return fail(FILE, error.message, 'run the release that wrote it, or point RECONCILER_DB at a new file');
    }
    const reason = error instanceof Error ? error.message : String(error);
    return fail(FILE, `cannot read ${path} as a state store: ${reason}`, 'RECONCILER_DB must name the reconciler\'s SQLite file: move this file away or point RECONCILER_DB elsewhere');
  }
}

/**
 * doctor is often run beside the daemon, so a daemon holding the lock is normal and passes. Another
 * holder (a one-off `reconcile`) passes while it could still be working and fails once it looks hung.
 */
function lockCheck(path: string, now: Date): Check {
  let holder: LockHolder | null;
  try {
    holder = readLockHolder(path);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return fail(LOCK, `cannot read the lock of ${path}: ${reason}`, 'run doctor again; if it persists, check the file with sqlite3');
  }
  if (!holder) return pass(LOCK, 'free');
  const who = `${holder.command} (pid ${holder.pid} on ${holder.hostname}) since ${holder.startedAt}`;
  if (holder.command === 'daemon') {
    return pass(LOCK, `held by ${who}: normal while the daemon runs; kill -USR1 ${holder.pid} asks it for a pass now`);
  }
  const age = now.getTime() - Date.parse(holder.startedAt);
  if (!(age >= STUCK_HOLDER_MS)) return pass(LOCK, `held by ${who}: a pass in progress`);
  return fail(
    LOCK,
    `held by ${who}, ${countOf(Math.round(age / 60_000), 'minute')}: a single pass should have ended long ago`,
    `check that process (ps -fp ${holder.pid} on ${holder.hostname}) and stop it if it hangs: while it holds the lock, the daemon and other passes cannot start`,
  );
}

function writeHint(path: string): string {
  return `run doctor as the service user, and give it write access to ${dirname(path)} (SQLite writes -wal and -shm files beside the database), or set RECONCILER_DB`;
}

function nearestExisting(dir: string): string {
  let current = dir;
  while (!existsSync(current) && dirname(current) !== current) current = dirname(current);
  return current;
}

function isWritableDir(dir: string): boolean {
  try {
    return statSync(dir).isDirectory() && isWritable(dir);
  } catch {
    return false;
  }
}

function isWritable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}
