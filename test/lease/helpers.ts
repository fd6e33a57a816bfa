import pg from 'pg';
import { afterEach, inject } from 'vitest';
import type { Clock } from '../../src/clock.js';
import { LEASE_TABLES_SQL } from '../../src/lease/lease-table.js';
import { createTestDatabase, type TestDatabase } from '../support/pg.js';

/** A database of its own with the lease tables, as the PostgreSQL store's first migration makes them. */
export async function leaseDatabase(): Promise<TestDatabase & { query<R extends pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<R[]> }> {
  const db = await createTestDatabase();
  const run = async <R extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<R[]> => {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      return (await client.query<R>(sql, params)).rows;
    } finally {
      await client.end();
    }
  };
  await run(LEASE_TABLES_SQL);
  return { ...db, query: run };
}

export interface HistoryRow {
  epoch: string;
  holder: string;
  acquired_at: Date;
  renewed_at: Date;
  expires_at: Date;
  ended_at: Date | null;
  ended_why: string | null;
}

export function history(db: Awaited<ReturnType<typeof leaseDatabase>>): Promise<HistoryRow[]> {
  return db.query<HistoryRow>('SELECT * FROM leader_history ORDER BY epoch');
}

export interface ManualTime {
  clock: Clock;
  monotonicMs: () => number;
  /** Moves time on; every wait now due returns, and the loops waiting on them get to run. */
  advance(ms: number): Promise<void>;
  /** Waits asked for and not yet due. */
  pending(): number;
}

/** Time that stands still until the test moves it: a process frozen (SIGSTOP) is one whose time is not moved. */
export function manualTime(): ManualTime {
  let now = 0;
  const start = Date.parse('2026-12-01T10:00:00Z');
  let waits: Array<{ at: number; done: () => void }> = [];
  const clock: Clock = {
    now: () => new Date(start + now),
    sleep: (ms, signal) =>
      new Promise<void>((resolve) => {
        if (signal?.aborted) return resolve();
        const wait = {
          at: now + ms,
          done: () => {
            waits = waits.filter((w) => w !== wait);
            signal?.removeEventListener('abort', wait.done);
            resolve();
          },
        };
        waits.push(wait);
        signal?.addEventListener('abort', wait.done, { once: true });
      }),
  };
  return {
    clock,
    monotonicMs: () => now,
    async advance(ms) {
      now += ms;
      for (const wait of waits.filter((w) => w.at <= now)) wait.done();
      await new Promise((resolve) => setImmediate(resolve));
    },
    pending: () => waits.length,
  };
}

/** Polls `check` until it holds, at most `limitMs` of real time (the database works in real time). */
export async function until(what: string, check: () => boolean | Promise<boolean>, limitMs = 10_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`still not true after ${limitMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * The database stops answering, as when its server is down or unreachable: new sessions are refused and the
 * open ones cut. Done from the cluster's `postgres` database, as a database cannot shut itself.
 */
export async function databaseOutage(db: TestDatabase): Promise<{ begin(): Promise<void>; end(): Promise<void>; close(): Promise<void> }> {
  const admin = new pg.Client({ connectionString: inject('reconcilerTestPgUrl') });
  await admin.connect();
  const name = new URL(db.url).pathname.slice(1);
  return {
    async begin() {
      await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [name]);
    },
    end: async () => void (await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`)),
    close: () => admin.end(),
  };
}

export type LeaseDb = Awaited<ReturnType<typeof leaseDatabase>>;

/**
 * For a describe block: `later` runs a cleanup after each test (the newest first), and `database` gives a
 * lease database of its own that is dropped then.
 */
export function useCleanups(): { later(cleanup: () => Promise<void>): void; database(): Promise<LeaseDb> } {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  return {
    later: (cleanup) => void cleanups.push(cleanup),
    database: async () => {
      const db = await leaseDatabase();
      cleanups.push(() => db.drop());
      return db;
    },
  };
}
