import type pg from 'pg';
import { SchemaVersionError } from '../migrations.js';
import { PG_MIGRATIONS, PG_SCHEMA_VERSION } from './pg-migrations.js';
import type { Migration } from '../migrations.js';

// Any fixed number: the advisory lock every host takes to migrate, held until its transaction ends.
const MIGRATION_LOCK_KEY = 7_241_903_117;

/** A database from a newer release (or not yet migrated, for a reader), said in PostgreSQL's terms. */
export class PgSchemaVersionError extends SchemaVersionError {
  constructor(where: string, databaseVersion: number, codeVersion: number) {
    super(where, databaseVersion, codeVersion);
    this.message =
      databaseVersion > codeVersion
        ? `The PostgreSQL state database ${where} has schema version ${databaseVersion}, newer than this reconciler ` +
          `supports (${codeVersion}): it was written by a newer release and downgrading is not supported. Run the newer ` +
          'release on every host, or point RECONCILER_DATABASE_URL at another database.'
        : `The PostgreSQL state database ${where} has schema version ${databaseVersion}, older than this reconciler ` +
          `(${codeVersion}). Run \`reconcile\` or \`daemon\` once to migrate it, then try again.`;
  }
}

/** The schema has never been created: a reader cannot do it (it never writes). */
export class PgSchemaMissingError extends Error {
  override readonly name = 'PgSchemaMissingError';
  constructor(where: string) {
    super(
      `The PostgreSQL state database ${where} holds no reconciler schema yet: run \`reconcile\` or \`daemon\` once ` +
        '(or `state copy`) to create it, or check that RECONCILER_DATABASE_URL names the right database.',
    );
  }
}

/** The applied version, or null when schema_migrations does not exist. */
export async function pgSchemaVersion(client: pg.ClientBase | pg.Pool): Promise<number | null> {
  const table = await client.query<{ name: string | null }>("SELECT to_regclass('schema_migrations')::text AS name");
  if (table.rows[0]?.name == null) return null;
  const { rows } = await client.query<{ version: number | null }>('SELECT MAX(version) AS version FROM schema_migrations');
  return rows[0]?.version ?? 0;
}

/**
 * Applies the missing migrations in one transaction under an advisory lock, so hosts starting together
 * migrate once (the others wait, then find nothing to do). PostgreSQL's DDL is transactional: a failed
 * migration leaves the database as it was.
 */
export async function migratePg(
  client: pg.ClientBase,
  where: string,
  migrations: readonly Migration[] = PG_MIGRATIONS,
): Promise<{ from: number; to: number }> {
  const target = migrations.reduce((max, m) => Math.max(max, m.version), 0);
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await client.query(
      `CREATE TABLE IF NOT EXISTS schema_migrations (
         version INTEGER PRIMARY KEY,
         description TEXT NOT NULL,
         applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
       )`,
    );
    const from = (await pgSchemaVersion(client)) ?? 0;
    if (from > target) throw new PgSchemaVersionError(where, from, target);
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (migration.version <= from) continue;
      await client.query(migration.sql);
      await client.query('INSERT INTO schema_migrations (version, description) VALUES ($1, $2)', [migration.version, migration.description]);
    }
    await client.query('COMMIT');
    return { from, to: Math.max(from, target) };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/** A reader's check: the schema exists and is exactly this release's. */
export async function assertCurrentPg(pool: pg.Pool, where: string): Promise<void> {
  const version = await pgSchemaVersion(pool);
  if (version === null || version === 0) throw new PgSchemaMissingError(where);
  if (version !== PG_SCHEMA_VERSION) throw new PgSchemaVersionError(where, version, PG_SCHEMA_VERSION);
}
