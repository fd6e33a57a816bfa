import type { Config } from '../config/schema.js';
import type { Fence } from '../lease/lease-table.js';
import type { Logger } from '../observability/logger.js';
import { openPgStore, type PgStore, type PgStoreOptions } from './pg/pg-store.js';
import { openStore, type SqliteStore, type StoreOptions } from './sqlite-store.js';

export interface StateOptions extends StoreOptions {
  /** PostgreSQL only: the leader's lease every write is fenced by (see openPgStore). */
  fence?: () => Fence | null;
  log?: Pick<Logger, 'error' | 'debug'>;
  /** PostgreSQL only: the connection pool's settings (see PoolSettings). */
  pool?: PgStoreOptions['pool'];
}

export type StateStore = SqliteStore | PgStore;

/**
 * The state store the config names: PostgreSQL when RECONCILER_DATABASE_URL is set (several hosts
 * may share it), else the SQLite file `db` (one host, its own single-writer lock).
 */
export function openState(config: Pick<Config, 'db' | 'secrets'>, options: StateOptions): Promise<StateStore> {
  const url = config.secrets.databaseUrl;
  if (url === undefined) return openStore(config.db, options);
  return openPgStore(url, {
    command: options.command,
    ...(options.readOnly === undefined ? {} : { readOnly: options.readOnly }),
    ...(options.fence === undefined ? {} : { fence: options.fence }),
    ...(options.log === undefined ? {} : { log: options.log }),
    ...(options.pool === undefined ? {} : { pool: options.pool }),
  });
}

/** Where the state lives, for messages: the SQLite path, or the database URL with its password hidden. */
export function describeState(store: StateStore): string {
  return 'backend' in store ? store.describe() : store.path;
}
