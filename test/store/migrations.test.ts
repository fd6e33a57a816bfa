import { existsSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openWritable } from '../../src/store/connection.js';
import { MIGRATIONS, migrate, SCHEMA_VERSION, SchemaVersionError, type Migration } from '../../src/store/migrations.js';
import { openStore } from '../../src/store/sqlite-store.js';
import { fakeClock, raw, tempDb } from './helpers.js';

/** The version-1 schema as shipped: files in the field look like this. Frozen on purpose. */
const V1_SCHEMA = `
  CREATE TABLE runs (
    id INTEGER PRIMARY KEY, jira_issue_key TEXT NOT NULL, request_id TEXT NOT NULL,
    attempt INTEGER NOT NULL CHECK (attempt >= 1), source TEXT, run_type TEXT, environment TEXT,
    params TEXT CHECK (params IS NULL OR json_valid(params)), airflow_dag_id TEXT, airflow_dag_run_id TEXT,
    state TEXT NOT NULL CHECK (state IN ('pending', 'queued', 'running', 'success', 'failed', 'cancelled', 'invalid')),
    jira_phase TEXT NOT NULL DEFAULT 'none' CHECK (jira_phase IN ('none', 'started', 'finished')),
    platform_run_id TEXT, item_count INTEGER, error TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    started_at TEXT, finished_at TEXT, UNIQUE (jira_issue_key, request_id)
  );
  CREATE UNIQUE INDEX runs_airflow_dag_run_id ON runs (airflow_dag_run_id) WHERE airflow_dag_run_id IS NOT NULL;
  CREATE INDEX runs_by_key_attempt ON runs (jira_issue_key, attempt);
  CREATE TABLE cursor (id INTEGER PRIMARY KEY CHECK (id = 1), updated_since TEXT, pass_count INTEGER NOT NULL DEFAULT 0);
  CREATE TABLE lock (
    id INTEGER PRIMARY KEY CHECK (id = 1), pid INTEGER NOT NULL, hostname TEXT NOT NULL, command TEXT NOT NULL,
    started_at TEXT NOT NULL, heartbeat_at TEXT NOT NULL, instance TEXT NOT NULL, token TEXT NOT NULL
  );
  PRAGMA user_version = 1;
`;

describe('migrations', () => {
  let db: ReturnType<typeof tempDb>;
  beforeEach(() => {
    db = tempDb();
  });
  afterEach(() => db.cleanup());

  const options = { clock: fakeClock(), command: 'reconcile', lockWaitMs: 0 };

  function writeV1File(): void {
    openWritable(db.path).close();
    raw(db.path, (conn) => {
      conn.exec(V1_SCHEMA);
      conn.exec(`
        INSERT INTO runs (jira_issue_key, request_id, attempt, source, run_type, environment, params, airflow_dag_id,
          airflow_dag_run_id, state, jira_phase, platform_run_id, item_count, created_at, updated_at, started_at, finished_at)
        VALUES
          ('SCR-1', '100', 1, 'quebec', 'FULL_REFRESH', 'prod', '{}', 'scraper_quebec', 'jira__SCR-1__1', 'success', 'finished',
           'RUN-2025-01-05-0001', 4870, '2025-01-05T09:00:00.000Z', '2025-01-05T09:30:00.000Z', '2025-01-05T09:01:00.000Z',
           '2025-01-05T09:30:00.000Z'),
          ('SCR-2', 'created', 1, 'lafa', 'DELTA', 'dev', '{"a":1}', 'scraper_lafa', 'jira__SCR-2__1', 'running', 'started',
           NULL, NULL, '2025-01-05T09:10:00.000Z', '2025-01-05T09:10:00.000Z', '2025-01-05T09:11:00.000Z', NULL);
        INSERT INTO cursor (id, updated_since, pass_count) VALUES (1, '2025-01-05T09:40:00.000Z', 42);
      `);
    });
  }

  it('brings a version-1 file up to date, keeping its rows and adding the new columns', async () => {
    writeV1File();

    const store = await openStore(db.path, options);
    try {
      const [newest, oldest] = store.list();
      expect(oldest).toMatchObject({
        jiraIssueKey: 'SCR-1',
        state: 'success',
        jiraPhase: 'finished',
        platformRunId: 'RUN-2025-01-05-0001',
        itemCount: 4870,
        lastProblem: null,
        summary: null,
      });
      expect(newest).toMatchObject({ jiraIssueKey: 'SCR-2', requestId: 'created', state: 'running', lastProblem: null });
      expect(store.getCursor()).toEqual({ updatedSince: new Date('2025-01-05T09:40:00.000Z'), passCount: 42 });
      expect(store.unfinished().map((r) => r.jiraIssueKey)).toEqual(['SCR-2']);

      const updated = store.update(newest!.id, { lastProblem: 'Airflow unreachable' }, new Date('2025-01-05T10:00:00.000Z'));
      expect(updated.lastProblem).toBe('Airflow unreachable');
    } finally {
      store.close();
    }
    expect(raw(db.path, (conn) => conn.pragma('user_version', { simple: true }))).toBe(SCHEMA_VERSION);
  });

  it('still ships migration 1 as the schema files in the field were built with', () => {
    const fromCode = openWritable(db.path.replace(/\.db$/, '-code.db'));
    const fromFixture = openWritable(db.path.replace(/\.db$/, '-fixture.db'));
    try {
      migrate(fromCode, 'code', MIGRATIONS.slice(0, 1));
      fromFixture.exec(V1_SCHEMA);
      expect(tableShapes(fromCode)).toEqual(tableShapes(fromFixture));
    } finally {
      fromCode.close();
      fromFixture.close();
    }
  });

  it('creates a fresh file at the current version', async () => {
    const store = await openStore(db.path, options);
    store.close();
    expect(existsSync(db.path)).toBe(true);
    expect(raw(db.path, (conn) => conn.pragma('user_version', { simple: true }))).toBe(SCHEMA_VERSION);
  });

  it('refuses a file written by a newer release and leaves it untouched', async () => {
    openWritable(db.path).close();
    raw(db.path, (conn) => conn.pragma(`user_version = ${SCHEMA_VERSION + 1}`));

    const opening = openStore(db.path, options);
    await expect(opening).rejects.toBeInstanceOf(SchemaVersionError);
    await expect(opening).rejects.toThrow(/newer than this reconciler supports.*downgrading is not supported/);
    expect(raw(db.path, (conn) => conn.pragma('user_version', { simple: true }))).toBe(SCHEMA_VERSION + 1);
    expect(raw(db.path, (conn) => conn.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all())).toEqual([]);
  });

  it('refuses, when reading only, a file that is older or newer than the code', async () => {
    writeV1File();
    await expect(openStore(db.path, { ...options, readOnly: true })).rejects.toThrow(
      /schema version 1, older than this reconciler.*Run `reconcile` or `daemon` once to migrate it/,
    );
    raw(db.path, (conn) => conn.pragma(`user_version = ${SCHEMA_VERSION + 1}`));
    await expect(openStore(db.path, { ...options, readOnly: true })).rejects.toThrow(/newer than this reconciler supports/);
  });

  it('rolls back a failing migration whole, leaving the version where it was', () => {
    const conn = openWritable(db.path);
    try {
      const broken: Migration[] = [
        { version: 1, description: 'ok', sql: 'CREATE TABLE a (x INTEGER);' },
        { version: 2, description: 'half done', sql: 'CREATE TABLE b (x INTEGER); INSERT INTO missing VALUES (1);' },
      ];
      expect(() => migrate(conn, db.path, broken)).toThrow(/no such table: missing/);
      expect(conn.pragma('user_version', { simple: true })).toBe(1);
      const tables = conn.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'").all();
      expect(tables.map((t) => t.name)).toEqual(['a']);
    } finally {
      conn.close();
    }
  });

  it('does nothing on a file already at the current version', () => {
    const conn = openWritable(db.path);
    try {
      expect(migrate(conn, db.path)).toEqual({ from: 0, to: SCHEMA_VERSION });
      expect(migrate(conn, db.path)).toEqual({ from: SCHEMA_VERSION, to: SCHEMA_VERSION });
    } finally {
      conn.close();
    }
  });
});

function tableShapes(conn: Database.Database): unknown {
  return ['runs', 'cursor', 'lock'].map((table) => ({
    columns: conn.pragma(`table_info(${table})`),
    indexes: conn.pragma(`index_list(${table})`),
  }));
}
