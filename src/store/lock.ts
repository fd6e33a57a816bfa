import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import type { Clock } from '../clock.js';
import { openReadOnly, type Db } from './connection.js';
import { LockHeldError, type LockHolder } from './run-store.js';

/**
 * This process incarnation. A container restarted with the same hostname often gets the same pid:
 * the pid alone would make the old row look alive forever.
 */
const PROCESS_INSTANCE = randomUUID();

export const LOCK_POLL_MS = 250;
/** A holder on another host is presumed gone when its heartbeat is older than this. */
export const STALE_LOCK_MS = 2 * 60_000;

export interface LockOptions {
  clock: Clock;
  command: string;
  lockWaitMs: number;
  staleLockMs?: number;
}

export interface HeldLock {
  /** The stale holder this lock was taken over from, for the log. */
  readonly tookOverFrom: LockHolder | null;
  /** Refreshes heartbeat_at; throws LockLostError when another process has taken the lock over. */
  heartbeat(): void;
  /** Deletes the row if it is still ours. */
  release(): void;
}

export class LockLostError extends Error {
  override readonly name = 'LockLostError';
  constructor(
    readonly path: string,
    readonly holder: LockHolder | null,
  ) {
    const who = holder ? `${holder.command} (pid ${holder.pid} on ${holder.hostname})` : 'nobody';
    super(
      `The lock on the state store ${path} is no longer ours (now held by ${who}); it was presumed stale. ` +
        'Stop this process so only one writer remains, and heartbeat more often than every ' +
        `${STALE_LOCK_MS / 1000}s if passes are long.`,
    );
  }
}

interface LockRow {
  pid: number;
  hostname: string;
  command: string;
  started_at: string;
  heartbeat_at: string;
  instance: string;
  token: string;
}

/** Takes the single-writer lock, waiting up to `lockWaitMs` (through the clock) for a live holder. */
export async function acquireLock(db: Db, path: string, options: LockOptions): Promise<HeldLock> {
  const staleMs = options.staleLockMs ?? STALE_LOCK_MS;
  const token = randomUUID();
  let waited = 0;
  for (;;) {
    const attempt = tryAcquire(db, token, options.command, options.clock.now(), staleMs);
    if (attempt.acquired) return heldLock(db, path, token, options.clock, attempt.stale);
    if (waited >= options.lockWaitMs) throw new LockHeldError(path, attempt.holder);
    const wait = Math.min(LOCK_POLL_MS, options.lockWaitMs - waited);
    await options.clock.sleep(wait);
    waited += wait;
  }
}

/** Who holds the lock, or null; a holder on this host whose process is gone is not reported. */
export function readLockHolder(path: string): LockHolder | null {
  if (path === ':memory:' || !existsSync(path)) return null;
  const db = openReadOnly(path);
  try {
    const hasTable = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'lock'").get();
    if (!hasTable) return null;
    const row = readRow(db);
    return row && isLocalHolderAlive(row) !== false ? toHolder(row) : null;
  } finally {
    db.close();
  }
}

type Attempt = { acquired: true; stale: LockHolder | null } | { acquired: false; holder: LockHolder };

function tryAcquire(db: Db, token: string, command: string, now: Date, staleMs: number): Attempt {
  return db
    .transaction((): Attempt => {
      const row = readRow(db);
      if (row && isAlive(row, now, staleMs)) return { acquired: false, holder: toHolder(row) };
      const at = now.toISOString();
      db.prepare(
        `INSERT OR REPLACE INTO lock (id, pid, hostname, command, started_at, heartbeat_at, instance, token)
         VALUES (1, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(process.pid, hostname(), command, at, at, PROCESS_INSTANCE, token);
      return { acquired: true, stale: row ? toHolder(row) : null };
    })
    .immediate();
}

function heldLock(db: Db, path: string, token: string, clock: Clock, stale: LockHolder | null): HeldLock {
  return {
    tookOverFrom: stale,
    heartbeat() {
      const info = db
        .prepare('UPDATE lock SET heartbeat_at = ? WHERE id = 1 AND token = ?')
        .run(clock.now().toISOString(), token);
      if (info.changes === 0) {
        const row = readRow(db);
        throw new LockLostError(path, row ? toHolder(row) : null);
      }
    },
    release() {
      db.prepare('DELETE FROM lock WHERE id = 1 AND token = ?').run(token);
    },
  };
}

function readRow(db: Db): LockRow | undefined {
  return db
    .prepare<[], LockRow>('SELECT pid, hostname, command, started_at, heartbeat_at, instance, token FROM lock WHERE id = 1')
    .get();
}

function isAlive(row: LockRow, now: Date, staleMs: number): boolean {
  const local = isLocalHolderAlive(row);
  if (local !== undefined) return local;
  // Another host: its pid means nothing here, so only a recent heartbeat keeps the lock.
  return now.getTime() - Date.parse(row.heartbeat_at) < staleMs;
}

/** For a holder on this host: whether its process lives; undefined for another host. */
function isLocalHolderAlive(row: LockRow): boolean | undefined {
  if (row.hostname !== hostname()) return undefined;
  if (!Number.isInteger(row.pid) || row.pid <= 0) return false;
  if (row.pid === process.pid) return row.instance === PROCESS_INSTANCE;
  try {
    process.kill(row.pid, 0);
    return true;
  } catch (error) {
    // EPERM: alive under another user. Only ESRCH proves it gone.
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

function toHolder(row: LockRow): LockHolder {
  return { pid: row.pid, hostname: row.hostname, command: row.command, startedAt: row.started_at };
}
