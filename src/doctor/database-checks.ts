import { PgLease } from '../lease/pg-lease.js';
import { describeDatabaseUrl } from '../store/pg/database-url.js';
import { PgSchemaMissingError, PgSchemaVersionError } from '../store/pg/pg-migrate.js';
import { PG_SCHEMA_VERSION } from '../store/pg/pg-migrations.js';
import { openPgStore } from '../store/pg/pg-store.js';
import { fail, pass, skipped, type Check } from './checks.js';

const DATABASE = 'state database';
const LEADER = 'leader';

/**
 * The PostgreSQL state, from any host: reachable, its schema this release's, and who leads since when.
 * No process leading passes (no daemon runs yet, or a failover is under way): the first daemon takes the lease.
 */
export async function databaseChecks(url: string, leaseSeconds: number): Promise<Check[]> {
  const where = describeDatabaseUrl(url);
  const database = await schemaCheck(url, where);
  if (!database.ok) return [database, skipped(LEADER, 'a reachable state database', DATABASE)];
  const lease = new PgLease({ connection: { connectionString: url }, leaseSeconds });
  try {
    const current = await lease.read();
    if (!current) return [database, pass(LEADER, 'no process has led yet: the first daemon to start takes the lease')];
    const who = `pid ${current.pid} on ${current.hostname} (${current.command}, epoch ${current.epoch})`;
    if (current.live) return [database, pass(LEADER, `${who} leads since ${current.acquiredAt.toISOString()}; its lease runs to ${current.expiresAt.toISOString()}`)];
    return [database, pass(LEADER, `no process leads now; the last was ${who}, whose lease ended ${current.expiresAt.toISOString()}: a standby or the next daemon takes it`)];
  } catch (error) {
    return [database, fail(LEADER, `cannot read the leader lease: ${error instanceof Error ? error.message : String(error)}`, 'check that the database user may read leader_lease')];
  } finally {
    await lease.close().catch(() => undefined);
  }
}

async function schemaCheck(url: string, where: string): Promise<Check> {
  try {
    const store = await openPgStore(url, { command: 'doctor', readOnly: true });
    await store.close();
    return pass(DATABASE, `${where}: reachable, schema v${PG_SCHEMA_VERSION}`);
  } catch (error) {
    if (error instanceof PgSchemaMissingError) return pass(DATABASE, `${where}: reachable, no schema yet; the first reconcile or daemon creates it (or \`state copy\` fills it)`);
    if (error instanceof PgSchemaVersionError && error.fileVersion < error.codeVersion) {
      return pass(DATABASE, `${where}: schema v${error.fileVersion}; the next reconcile or daemon migrates it to v${error.codeVersion}`);
    }
    const reason = error instanceof Error ? error.message : String(error);
    return fail(DATABASE, reason, 'check RECONCILER_DATABASE_URL (host, port, user, password, database, sslmode) and that the server is up');
  }
}
