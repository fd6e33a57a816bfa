import type { Db } from './connection.js';

export interface Migration {
  version: number;
  description: string;
  sql: string;
}

/**
 * Shipped migrations are frozen: files in the field were built by them. Change the schema by appending.
 * The `lock` table keeps its shape forever: the lock is taken before migrating a file that has one.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'runs, cursor and lock tables',
    sql: `
      CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        jira_issue_key TEXT NOT NULL,
        request_id TEXT NOT NULL,
        attempt INTEGER NOT NULL CHECK (attempt >= 1),
        source TEXT,
        run_type TEXT,
        environment TEXT,
        params TEXT CHECK (params IS NULL OR json_valid(params)),
        airflow_dag_id TEXT,
        airflow_dag_run_id TEXT,
        state TEXT NOT NULL CHECK (state IN ('pending', 'queued', 'running', 'success', 'failed', 'cancelled', 'invalid')),
        jira_phase TEXT NOT NULL DEFAULT 'none' CHECK (jira_phase IN ('none', 'started', 'finished')),
        platform_run_id TEXT,
        item_count INTEGER,
        error TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        started_at TEXT,
        finished_at TEXT,
        UNIQUE (jira_issue_key, request_id)
      );
      CREATE UNIQUE INDEX runs_airflow_dag_run_id ON runs (airflow_dag_run_id) WHERE airflow_dag_run_id IS NOT NULL;
      CREATE INDEX runs_by_key_attempt ON runs (jira_issue_key, attempt);
      CREATE TABLE cursor (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        updated_since TEXT,
        pass_count INTEGER NOT NULL DEFAULT 0
      );
      CREATE TABLE lock (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        pid INTEGER NOT NULL,
        hostname TEXT NOT NULL,
        command TEXT NOT NULL,
        started_at TEXT NOT NULL,
        heartbeat_at TEXT NOT NULL,
        instance TEXT NOT NULL,
        token TEXT NOT NULL
      );
    `,
  },
  {
    version: 2,
    description: 'last_problem on runs, partial index for unfinished records',
    sql: `
      ALTER TABLE runs ADD COLUMN last_problem TEXT;
      CREATE INDEX runs_unfinished ON runs (id)
        WHERE state NOT IN ('success', 'failed', 'cancelled', 'invalid') OR jira_phase <> 'finished';
    `,
  },
  {
    version: 3,
    description: 'outbox of notifications waiting to be sent',
    // channel has no CHECK: a new channel must not need a table rebuild (SQLite cannot alter a CHECK).
    sql: `
      CREATE TABLE outbox (
        id INTEGER PRIMARY KEY,
        event_key TEXT NOT NULL UNIQUE,
        channel TEXT NOT NULL,
        payload TEXT NOT NULL CHECK (json_valid(payload)),
        attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        next_attempt_at TEXT NOT NULL,
        claimed_at TEXT,
        sent_at TEXT,
        given_up_at TEXT,
        last_error TEXT,
        created_at TEXT NOT NULL
      );
      CREATE INDEX outbox_due ON outbox (next_attempt_at, id) WHERE sent_at IS NULL AND given_up_at IS NULL;
    `,
  },
  {
    version: 4,
    description: 'due_at on runs: when an automatic retry of a failed run is due',
    sql: `
      ALTER TABLE runs ADD COLUMN due_at TEXT;
    `,
  },
  {
    version: 5,
    description: "state 'waiting' (over an in-flight cap) and stuck_at (the watchdog's one comment) on runs",
    // SQLite cannot alter a CHECK constraint: the table is rebuilt, keeping every row and index.
    sql: `
      CREATE TABLE runs_v5 (
        id INTEGER PRIMARY KEY,
        jira_issue_key TEXT NOT NULL,
        request_id TEXT NOT NULL,
        attempt INTEGER NOT NULL CHECK (attempt >= 1),
        source TEXT,
        run_type TEXT,
        environment TEXT,
        params TEXT CHECK (params IS NULL OR json_valid(params)),
        airflow_dag_id TEXT,
        airflow_dag_run_id TEXT,
        state TEXT NOT NULL CHECK (state IN ('pending', 'waiting', 'queued', 'running', 'success', 'failed', 'cancelled', 'invalid')),
        jira_phase TEXT NOT NULL DEFAULT 'none' CHECK (jira_phase IN ('none', 'started', 'finished')),
        platform_run_id TEXT,
        item_count INTEGER,
        error TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        started_at TEXT,
        finished_at TEXT,
        last_problem TEXT,
        due_at TEXT,
        stuck_at TEXT,
        UNIQUE (jira_issue_key, request_id)
      );
      INSERT INTO runs_v5 (id, jira_issue_key, request_id, attempt, source, run_type, environment, params, airflow_dag_id,
        airflow_dag_run_id, state, jira_phase, platform_run_id, item_count, error, created_at, updated_at, started_at,
        finished_at, last_problem, due_at)
      SELECT id, jira_issue_key, request_id, attempt, source, run_type, environment, params, airflow_dag_id,
        airflow_dag_run_id, state, jira_phase, platform_run_id, item_count, error, created_at, updated_at, started_at,
        finished_at, last_problem, due_at FROM runs;
      DROP TABLE runs;
      ALTER TABLE runs_v5 RENAME TO runs;
      CREATE UNIQUE INDEX runs_airflow_dag_run_id ON runs (airflow_dag_run_id) WHERE airflow_dag_run_id IS NOT NULL;
      CREATE INDEX runs_by_key_attempt ON runs (jira_issue_key, attempt);
      CREATE INDEX runs_unfinished ON runs (id)
        WHERE state NOT IN ('success', 'failed', 'cancelled', 'invalid') OR jira_phase <> 'finished';
    `,
  },
  {
    version: 6,
    description: "requested_at on runs: when the ticket moved into Ready to Run, the in-flight caps' queue order",
    sql: `
      ALTER TABLE runs ADD COLUMN requested_at TEXT;
    `,
  },
  {
    version: 7,
    description: "summary on runs: the ticket's Summary, told in its notifications after any restart",
    sql: `
      ALTER TABLE runs ADD COLUMN summary TEXT;
    `,
  },
];

export const SCHEMA_VERSION = MIGRATIONS.reduce((max, m) => Math.max(max, m.version), 0);

export class SchemaVersionError extends Error {
  override readonly name = 'SchemaVersionError';
  constructor(
    readonly path: string,
    readonly fileVersion: number,
    readonly codeVersion: number,
  ) {
    super(
      fileVersion > codeVersion
        ? `The state store ${path} has schema version ${fileVersion}, newer than this reconciler supports (${codeVersion}): ` +
            'it was written by a newer release and downgrading is not supported. Run the newer release, or point RECONCILER_DB ' +
            'at another file (a fresh file loses no ticket: the next pass rebuilds it from Jira and Airflow).'
        : `The state store ${path} has schema version ${fileVersion}, older than this reconciler (${codeVersion}). ` +
            'Run `reconcile` or `daemon` once to migrate it, then try again.',
    );
  }
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

export function assertNotNewer(db: Db, path: string): void {
  const version = schemaVersion(db);
  if (version > SCHEMA_VERSION) throw new SchemaVersionError(path, version, SCHEMA_VERSION);
}

/**
 * Applies the missing migrations in order, each in its own IMMEDIATE transaction that re-reads the
 * version, so two processes starting on one file at once migrate it once. Returns the versions.
 */
export function migrate(
  db: Db,
  path: string,
  migrations: readonly Migration[] = MIGRATIONS,
): { from: number; to: number } {
  const from = schemaVersion(db);
  const target = migrations.reduce((max, m) => Math.max(max, m.version), 0);
  if (from > target) throw new SchemaVersionError(path, from, target);
  const ordered = [...migrations].sort((a, b) => a.version - b.version);
  for (const migration of ordered) {
    db.transaction(() => {
      if (schemaVersion(db) >= migration.version) return;
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
  }
  return { from, to: schemaVersion(db) };
}
