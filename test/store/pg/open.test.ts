import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MIGRATIONS, SchemaVersionError } from '../../../src/store/migrations.js';
import { describeDatabaseUrl } from '../../../src/store/pg/database-url.js';
import { StateDatabaseAccessError, StateDatabaseUnavailableError } from '../../../src/store/pg/pg-errors.js';
import { PG_MIGRATIONS } from '../../../src/store/pg/pg-migrations.js';
import { openPgStore, type PgStore } from '../../../src/store/pg/pg-store.js';
import { createTestDatabase, type TestDatabase } from '../../support/pg.js';
import { newRun } from '../helpers.js';
import { sqlOn } from './pg-helpers.js';

const T0 = new Date('2025-01-05T10:00:00.000Z');

describe('opening the PostgreSQL state database', () => {
  let db: TestDatabase;
  const opened: PgStore[] = [];
  beforeEach(async () => {
    db = await createTestDatabase();
  });
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
    await db.drop();
  });

  async function open(readOnly = false, command = readOnly ? 'runs' : 'daemon'): Promise<PgStore> {
    const store = await openPgStore(db.url, { command, readOnly });
    opened.push(store);
    return store;
  }

  it('has the same migration versions, with the same meaning, as SQLite', () => {
    expect(PG_MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((m) => m.version));
  });

  it('migrates a fresh database once, recording each version, with the lease tables in the first', async () => {
    await open();
    await open();
    const versions = await sqlOn<{ version: number }>(db.url, 'SELECT version FROM schema_migrations ORDER BY version');
    expect(versions.map((v) => v.version)).toEqual(PG_MIGRATIONS.map((m) => m.version));
    const tables = await sqlOn<{ name: string }>(
      db.url,
      "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
    );
    expect(tables.map((t) => t.name)).toEqual(['cursor', 'leader_history', 'leader_lease', 'outbox', 'runs', 'schema_migrations']);
  });

  it('migrates once when several hosts start at the same moment', async () => {
    await Promise.all([open(), open(), open(), open()]);
    const versions = await sqlOn<{ n: string }>(db.url, 'SELECT COUNT(*) AS n FROM schema_migrations');
    expect(Number(versions[0]?.n)).toBe(PG_MIGRATIONS.length);
  });

  it('names itself to the server as the reconciler, its command and its pid', async () => {
    const store = await open(false, 'reconcile');
    await store.list();
    const names = await sqlOn<{ name: string }>(db.url, 'SELECT DISTINCT application_name AS name FROM pg_stat_activity WHERE datname = current_database()');
    expect(names.map((n) => n.name)).toContain(`jira-airflow-reconciler reconcile pid ${process.pid}`);
  });

  it('refuses a database from a newer release, leaving it as it is', async () => {
    await (await open()).close();
    await sqlOn(db.url, "INSERT INTO schema_migrations (version, description) VALUES (99, 'from the future')");
    const error = await openPgStore(db.url, { command: 'daemon' }).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(SchemaVersionError);
    expect((error as Error).message).toMatch(/schema version 99, newer than this reconciler supports \(7\)/);
    await expect(openPgStore(db.url, { command: 'runs', readOnly: true })).rejects.toThrow(/schema version 99, newer/);
    expect(await sqlOn(db.url, 'SELECT 1 FROM schema_migrations WHERE version = 99')).toHaveLength(1);
  });

  it('reads without migrating, and says what to do when the schema is missing', async () => {
    await expect(open(true)).rejects.toThrow(/holds no reconciler schema yet: run `reconcile` or `daemon` once/);
    expect(await sqlOn(db.url, "SELECT to_regclass('runs') AS t")).toEqual([{ t: null }]);
  });

  it('refuses writes on a read-only store, saying how to write', async () => {
    const writer = await open();
    const record = await writer.insert(newRun(), T0);
    const reader = await open(true);
    expect(reader.readOnly).toBe(true);
    expect(await reader.list()).toEqual([record]);
    await expect(reader.insert(newRun({ requestId: '2' }), T0)).rejects.toThrow(/opened read-only; open it without readOnly/);
    await expect(reader.outbox.enqueue([{ eventKey: 'a', channel: 'slack', payload: {} }], T0)).rejects.toThrow(/read-only/);
    await expect(reader.setCursor({ updatedSince: null, passCount: 1 })).rejects.toThrow(/read-only/);
  });

  it('describes itself with the password hidden', async () => {
    const url = new URL(db.url);
    url.password = 's3cret-pass';
    expect(describeDatabaseUrl(url.toString())).not.toContain('s3cret-pass');
    expect(describeDatabaseUrl(url.toString())).toContain(':***@');
    expect(describeDatabaseUrl('postgres://u@h/db?password=s3cret-pass')).not.toContain('s3cret-pass');
    expect((await open()).describe()).toBe(describeDatabaseUrl(db.url));
  });

  it('says where it could not connect and what to check, without the password', async () => {
    const error = await openPgStore('postgres://reconciler:s3cret-pass@127.0.0.1:1/state', {
      command: 'daemon',
      pool: { connectTimeoutMs: 2_000 },
    }).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(StateDatabaseUnavailableError);
    expect((error as Error).message).toMatch(/Cannot reach the PostgreSQL state database at 127\.0\.0\.1:1 \(ECONNREFUSED\): check that the server runs/);
    expect((error as Error).message).not.toContain('s3cret-pass');
  });

  it('says when the database does not exist', async () => {
    const url = new URL(db.url);
    url.pathname = '/no_such_database';
    url.password = 's3cret-pass';
    const error = await openPgStore(url.toString(), { command: 'daemon' }).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(StateDatabaseAccessError);
    expect((error as Error).message).toMatch(/does not exist .*create it \(CREATE DATABASE/);
    expect((error as Error).message).not.toContain('s3cret-pass');
  });

  it('says when the sign-in is refused, without the password', async () => {
    await sqlOn(db.url, "CREATE ROLE locked_out LOGIN PASSWORD 'right-pass'");
    await sqlOn(db.url, 'ALTER ROLE locked_out NOLOGIN');
    const url = new URL(db.url);
    url.username = 'locked_out';
    url.password = 'wrong-pass';
    try {
      const error = await openPgStore(url.toString(), { command: 'daemon' }).then(() => null, (e: unknown) => e);
      expect(error).toBeInstanceOf(StateDatabaseAccessError);
      expect((error as Error).message).toMatch(/refused the sign-in .*check the user and password in RECONCILER_DATABASE_URL/);
      expect((error as Error).message).not.toContain('wrong-pass');
    } finally {
      await sqlOn(db.url, 'DROP ROLE locked_out');
    }
  });

  it('survives its connections being cut, answering again from new ones', async () => {
    const store = await open();
    await store.insert(newRun(), T0);
    await sqlOn(db.url, 'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
    // The pool drops a dead idle connection when it learns of it; at worst one call fails, clearly.
    const first = await store.list().then((records) => records, (e: unknown) => e);
    if (!Array.isArray(first)) expect(first).toBeInstanceOf(StateDatabaseUnavailableError);
    expect(await store.list()).toHaveLength(1);
  });
});
