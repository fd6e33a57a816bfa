import type pg from 'pg';

export interface PoolSettings {
  /** Shown in pg_stat_activity: 'jira-airflow-reconciler <command>'. */
  command: string;
  /** Connections at most: the engine works one store call at a time, the drain beside it. */
  max?: number;
  /** A statement that runs longer is cancelled by the server (a lock wait included). */
  statementTimeoutMs?: number;
  /** How long to wait for a new connection (TCP and TLS and sign-in). */
  connectTimeoutMs?: number;
  /**
   * A session idle inside a transaction this long is ended by the server, its locks with it. Under a
   * leader lease it must be well under the lease: a frozen leader mid-write holds the lease row FOR SHARE,
   * and the next leader's takeover waits for that lock. Default: the statement timeout.
   */
  idleInTransactionMs?: number;
}

export const POOL_DEFAULTS = { max: 4, statementTimeoutMs: 10_000, connectTimeoutMs: 10_000 } as const;

/**
 * The pool's settings. The URL is handed to node-postgres whole, so its TLS parameters apply as
 * node-postgres reads them (pg-connection-string): `sslmode=verify-full` (and, in node-postgres 8,
 * also `require`, `prefer` and `verify-ca`) verifies the server's certificate and name,
 * `sslrootcert=<file>` is the CA it is checked against, `sslmode=disable` turns TLS off.
 */
export function poolConfig(url: string, settings: PoolSettings): pg.PoolConfig {
  const statementTimeout = settings.statementTimeoutMs ?? POOL_DEFAULTS.statementTimeoutMs;
  return {
    connectionString: url,
    max: settings.max ?? POOL_DEFAULTS.max,
    // The pid tells an operator (and pg_terminate_backend) which process of which host a session is.
    application_name: `jira-airflow-reconciler ${settings.command} pid ${process.pid}`,
    statement_timeout: statementTimeout,
    // A transaction left open by a frozen process must not hold its row locks (or the lease row) for long.
    idle_in_transaction_session_timeout: settings.idleInTransactionMs ?? statementTimeout,
    // Also a client-side bound: a server that stopped answering does not hang a call forever.
    query_timeout: statementTimeout + 5_000,
    connectionTimeoutMillis: settings.connectTimeoutMs ?? POOL_DEFAULTS.connectTimeoutMs,
    keepAlive: true,
  };
}
