import pg from 'pg';
import type { Fence } from '../../lease/lease-table.js';
import type { Logger } from '../../observability/logger.js';
import type { SyncOutbox } from '../outbox-repo.js';
import type { SyncRunStore } from '../run-store.js';
import { describeDatabaseUrl } from './database-url.js';
import { checkFence } from './pg-fence.js';
import { StateDatabaseUnavailableError, translatePgError } from './pg-errors.js';
import { importSnapshot, type ImportCounts, type StateSnapshot } from './pg-import.js';
import { assertCurrentPg, migratePg } from './pg-migrate.js';
import * as outboxSql from './pg-outbox.js';
import { poolConfig, type PoolSettings } from './pg-pool.js';
import { getCursor, setCursor } from './pg-cursor.js';
import { findRequest, insertRun, latestForIssue, listRuns, unfinished, updateRun } from './pg-runs.js';
import type { Queryable } from './queryable.js';

export interface PgStoreOptions {
  /** Who is connecting: 'daemon', 'reconcile', 'runs', ... (in application_name). */
  command: string;
  /** Read and never write nor migrate (`runs`, `doctor`): the schema must exist and be current. */
  readOnly?: boolean;
  /**
   * The leader's lease as this process knows it. When given, every write first checks, in its own
   * transaction, that the database still names this holder and epoch and has not expired; a write
   * that finds otherwise throws FencedWriteError and writes nothing. Null: this process holds no lease.
   */
  fence?: () => Fence | null;
  /**
   * Where idle connections' errors (a restart, a cut connection) are noted, at debug level: the caller
   * says once that the database is unavailable, from the error its next call gets.
   */
  log?: Pick<Logger, 'debug'>;
  pool?: Omit<PoolSettings, 'command'>;
}

/** A port whose every call is a round trip: each answer a promise (so a RunStore, and an Outbox). */
type Promised<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<R> : T[K];
};

export type PgOutbox = Promised<Omit<SyncOutbox, 'onEnqueue'>> & Pick<SyncOutbox, 'onEnqueue'>;

export interface PgStore extends Promised<SyncRunStore> {
  readonly backend: 'postgres';
  readonly readOnly: boolean;
  readonly outbox: PgOutbox;
  /** The database, for messages: its URL with the password replaced by ***. */
  describe(): string;
  /** Statements sent so far (each one round trip), BEGIN and COMMIT included. */
  roundTrips(): number;
  /** Copies another store's records, cursor and outbox in, keeping ids (`state copy`). */
  importSnapshot(snapshot: StateSnapshot, options: { force: boolean }): Promise<ImportCounts>;
  close(): Promise<void>;
}

/**
 * Opens the PostgreSQL state database: a writer migrates it first (once, whichever host gets there
 * first); a reader checks its schema is this release's and never writes.
 */
export async function openPgStore(url: string, options: PgStoreOptions): Promise<PgStore> {
  const where = describeDatabaseUrl(url);
  const pool = new pg.Pool(poolConfig(url, { ...options.pool, command: options.command }));
  // An idle connection that dies (server restart, pg_terminate_backend) must not end the process.
  pool.on('error', (error) => {
    options.log?.debug({ database: where, err: translatePgError(error, url) }, 'An idle PostgreSQL state connection was lost; the next call opens another');
  });
  try {
    if (options.readOnly) await assertCurrentPg(pool, where);
    else {
      const client = await pool.connect();
      await checkedOut(client, () => migratePg(client, where));
    }
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw translatePgError(error, url);
  }
  return storeOn(pool, url, options);
}

/**
 * Runs `use` on a client checked out of the pool, and returns it after. A checked-out client is not the
 * pool's to watch: a connection cut meanwhile (pg_terminate_backend, a network outage) is emitted on the
 * client itself, and with no listener it would end the process. A cut, or `drop()`, releases the client
 * as broken, so the pool opens another instead of handing it out again.
 */
async function checkedOut<T>(client: pg.PoolClient, use: (drop: () => void) => Promise<T>): Promise<T> {
  let broken = false;
  const drop = (): void => {
    broken = true;
  };
  client.on('error', drop);
  try {
    return await use(drop);
  } finally {
    client.off('error', drop);
    client.release(broken);
  }
}

function storeOn(pool: pg.Pool, url: string, options: PgStoreOptions): PgStore {
  const where = describeDatabaseUrl(url);
  const readOnly = options.readOnly ?? false;
  const listeners = new Set<() => void>();
  let closed: Promise<void> | null = null;
  let roundTrips = 0;

  /** Every statement is one round trip to the server: counted for the benchmark's figures. */
  function counted(sql: Queryable): Queryable {
    const query = sql.query.bind(sql) as (...args: unknown[]) => unknown;
    return {
      query: ((...args: unknown[]) => {
        roundTrips += 1;
        return query(...args);
      }) as Queryable['query'],
    };
  }
  const pooled = counted(pool);

  async function read<T>(work: (sql: Queryable) => Promise<T>): Promise<T> {
    return again(async () => {
      try {
        return await work(pooled);
      } catch (error) {
        throw translatePgError(error, url);
      }
    });
  }

  /**
   * A session cut under a call (pg_terminate_backend, a failover of the server, a restart) is gone from
   * the pool by then: the call is made once more on a fresh connection before its caller hears of it.
   * Every write is safe to repeat: inserts and enqueues ignore a key already there, updates set values,
   * and a repeated claim finds the row claimed and takes nothing.
   */
  async function again<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof StateDatabaseUnavailableError) || closed) throw error;
      return call();
    }
  }

  /**
   * One transaction, fenced when a fence supplier was given; nothing is written when it fails. `work`
   * learns the epoch the write was checked under (null when unfenced).
   */
  function write<T>(work: (sql: Queryable, epoch: number | null) => Promise<T>): Promise<T> {
    return again(() => writeOnce(work));
  }

  async function writeOnce<T>(work: (sql: Queryable, epoch: number | null) => Promise<T>): Promise<T> {
    if (readOnly) throw readOnlyError();
    const fence = options.fence ? options.fence() : undefined;
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (error) {
      throw translatePgError(error, url);
    }
    const sql = counted(client);
    return checkedOut(client, async (drop) => {
      try {
        await sql.query('BEGIN');
        if (fence !== undefined) await checkFence(sql, fence);
        const result = await work(sql, fence?.epoch ?? null);
        await sql.query('COMMIT');
        return result;
      } catch (error) {
        const translated = translatePgError(error, url);
        if (translated instanceof StateDatabaseUnavailableError) drop();
        else await sql.query('ROLLBACK').catch(drop);
        throw translated;
      }
    });
  }

  function readOnlyError(): Error {
    return new Error(`The state store ${where} was opened read-only; open it without readOnly to write.`);
  }

  /**
   * One statement on its own, unfenced: only for recording a fact that stays true whoever leads now (a
   * message the far side accepted). One round trip, so the window in which a send is done but not yet
   * recorded is as short as it can be.
   */
  function record<T>(work: (sql: Queryable) => Promise<T>): Promise<T> {
    if (readOnly) return Promise.reject(readOnlyError());
    return read(work);
  }

  function told(added: number): number {
    if (added > 0) for (const listener of listeners) listener();
    return added;
  }

  const outbox: PgOutbox = {
    async enqueue(rows, now) {
      return told(await write((sql) => outboxSql.enqueue(sql, rows, now)));
    },
    due: (now, limit) => read((sql) => outboxSql.due(sql, now, limit)),
    claim: (id, now, leaseMs) => write((sql, epoch) => outboxSql.claim(sql, id, now, leaseMs, epoch)),
    // A delivery is recorded even by a process that has lost its lease since: otherwise the next
    // leader, seeing the claim unfinished, would send the message again.
    markSent: (id, now) => record((sql) => outboxSql.markSent(sql, id, now)),
    markFailed: (id, error, nextAttemptAt) => write((sql) => outboxSql.markFailed(sql, id, error, nextAttemptAt)),
    giveUp: (id, error, now) => write((sql) => outboxSql.giveUp(sql, id, error, now)),
    releaseClaims: (now) => write((sql, epoch) => outboxSql.releaseClaims(sql, now, epoch)),
    onEnqueue(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    list: () => read((sql) => outboxSql.listOutbox(sql)),
  };

  return {
    backend: 'postgres',
    readOnly,
    outbox,
    describe: () => where,
    roundTrips: () => roundTrips,
    findRequest: (key, requestId) => read((sql) => findRequest(sql, key, requestId)),
    latestForIssue: (key) => read((sql) => latestForIssue(sql, key)),
    unfinished: () => read((sql) => unfinished(sql)),
    list: (filter) => read((sql) => listRuns(sql, filter)),
    getCursor: () => read((sql) => getCursor(sql)),
    insert: (record, now) => write((sql) => insertRun(sql, record, now)),
    update: (id, patch, now) => write((sql) => updateRun(sql, id, patch, now)),
    async updateAndNotify(id, patch, notifications, now) {
      const { record, added } = await write(async (sql) => {
        const updated = await updateRun(sql, id, patch, now);
        return { record: updated, added: await outboxSql.enqueue(sql, notifications, now) };
      });
      told(added);
      return record;
    },
    setCursor: (cursor) => write((sql) => setCursor(sql, cursor)),
    importSnapshot: (snapshot, importOptions) => write((sql) => importSnapshot(sql, snapshot, { ...importOptions, where })),
    close() {
      closed ??= pool.end();
      return closed;
    },
  };
}
