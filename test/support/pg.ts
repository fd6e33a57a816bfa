import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';

export interface TestDatabase {
  /** postgres://… of a database of its own, empty. */
  url: string;
  /** Ends every session on it and drops it. */
  drop(): Promise<void>;
}

/**
 * A fresh database in the run's throwaway cluster (test/support/pg-cluster.ts). Fails, never skips,
 * when no cluster could be started, saying why and how to get one.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const server = inject('reconcilerTestPgUrl');
  if (!server) {
    throw new Error(
      `PostgreSQL is needed by this test and none could be started: ${inject('reconcilerTestPgProblem') || 'no cluster'}. ` +
        'Install the server (`apt-get install postgresql`) so the test run can start a throwaway cluster itself, ' +
        'or point RECONCILER_TEST_PG_URL at a server whose user may CREATE DATABASE (postgres://user@127.0.0.1:5432/postgres).',
    );
  }
  const name = `reconciler_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(server, `CREATE DATABASE ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => adminQuery(server, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

/** Ends the sessions of one database's clients, as a cut network or a DBA's pg_terminate_backend would. */
export async function terminateSessions(databaseUrl: string): Promise<number> {
  const name = new URL(databaseUrl).pathname.slice(1);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const result = await client.query<{ pid: number }>(
      'SELECT pg_terminate_backend(pid) AS pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [name],
    );
    return result.rowCount ?? 0;
  } finally {
    await client.end();
  }
}

async function adminQuery(server: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: server });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
