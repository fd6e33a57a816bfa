import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { LOG_LINE_PREFIX, openStatementLog, type StatementLog } from './statement-log.js';

/** A database of its own for one scenario run, in the bench's cluster. */
export interface BenchDatabase {
  name: string;
  /** postgres://… of this database: what RECONCILER_DATABASE_URL is set to. */
  url: string;
  drop(): Promise<void>;
}

export interface BenchCluster {
  /** The server, as a user that may CREATE DATABASE. */
  serverUrl: string;
  /** Every statement the server ran, from its log. */
  statements: StatementLog;
  createDatabase(): Promise<BenchDatabase>;
  stop(): void;
}

const USER = 'reconciler';
const BENCH_APPLICATION = 'reconciler-bench';

export const NO_POSTGRES_HINT =
  'Install the PostgreSQL server binaries (`apt-get install postgresql`, or put initdb and pg_ctl on PATH) to get the PostgreSQL figures too.';

/**
 * Debian's postgresql package keeps its binaries under /usr/lib/postgresql/<major>/bin (the newest is
 * used), elsewhere initdb is on PATH; null when neither is there.
 */
export function findPostgresBin(): string | null {
  const root = '/usr/lib/postgresql';
  const majors = existsSync(root) ? readdirSync(root).filter((name) => existsSync(join(root, name, 'bin', 'initdb'))) : [];
  if (majors.length > 0) return join(root, majors.sort((a, b) => Number(b) - Number(a))[0] as string, 'bin');
  const onPath = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' }).stdout.trim();
  return onPath ? onPath.replace(/\/initdb$/, '') : null;
}

/**
 * A throwaway cluster on loopback in a temporary folder (as test/support/pg-cluster.ts starts the tests'
 * one), logging every statement and session so round trips are counted on the server's side.
 */
export async function startBenchCluster(): Promise<BenchCluster> {
  const bin = findPostgresBin();
  if (bin === null) throw new Error(`No PostgreSQL server binaries (initdb) were found. ${NO_POSTGRES_HINT}`);
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'reconciler-bench-pg-'));
  const data = join(dir, 'data');
  const logPath = join(dir, 'log');
  // PostgreSQL refuses to run as root: the cluster then belongs to the postgres user.
  const asPostgres = process.getuid?.() === 0;
  const run = (tool: string, args: string[]): void => {
    const command = asPostgres ? 'runuser' : join(bin, tool);
    const argv = asPostgres ? ['-u', 'postgres', '--', join(bin, tool), ...args] : args;
    const result = spawnSync(command, argv, { encoding: 'utf8', timeout: 60_000 });
    if (result.status !== 0) throw new Error(`${tool} ${args.join(' ')} failed: ${(result.stderr || result.stdout || String(result.error ?? '')).trim()}`);
  };
  try {
    if (asPostgres) {
      const { uid, gid } = postgresIds();
      chownSync(dir, uid, gid);
      chmodSync(dir, 0o700);
    }
    run('initdb', ['-D', data, '-A', 'trust', '-U', USER, '-E', 'UTF8', '--no-sync']);
    // Appended to the config rather than passed with -o: pg_ctl hands -o to a shell, and the prefix holds '|'.
    appendFileSync(
      join(data, 'postgresql.conf'),
      [
        '',
        "listen_addresses = '127.0.0.1'",
        `port = ${port}`,
        `unix_socket_directories = '${dir}'`,
        "log_statement = 'all'",
        'log_connections = on',
        `log_line_prefix = '${LOG_LINE_PREFIX}'`,
        "lc_messages = 'C'",
        '',
      ].join('\n'),
    );
    run('pg_ctl', ['-D', data, '-l', logPath, '-w', 'start']);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const serverUrl = `postgres://${USER}@127.0.0.1:${port}/postgres`;
  return {
    serverUrl,
    statements: openStatementLog(logPath),
    async createDatabase() {
      const name = `bench_${randomBytes(6).toString('hex')}`;
      await adminQuery(serverUrl, `CREATE DATABASE ${name}`);
      const url = new URL(serverUrl);
      url.pathname = `/${name}`;
      return { name, url: url.toString(), drop: () => adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
    },
    stop() {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

async function adminQuery(server: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: server, application_name: BENCH_APPLICATION });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** The postgres user's ids: a cluster refuses to run as root, so its folder is handed to that user. */
export function postgresIds(): { uid: number; gid: number } {
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  return { uid, gid };
}

/** A loopback port nobody listens on now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port'))));
    });
  });
}
