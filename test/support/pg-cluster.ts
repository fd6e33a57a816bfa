import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
// The bench starts its clusters the same way; the primitives are its.
import { findPostgresBin, freePort, postgresIds } from '../../src/bench/pg-cluster.js';

/**
 * vitest globalSetup: one throwaway PostgreSQL cluster for the whole run, on loopback, in a temporary
 * folder, torn down at the end. Each test creates its own database in it (test/support/pg.ts), never
 * shares one. `RECONCILER_TEST_PG_URL` (a server URL whose user may CREATE DATABASE) uses that server
 * instead. Where no cluster can be started, the PostgreSQL tests fail with the reason and how to get one;
 * the other tests run as usual.
 */
export const PG_URL_KEY = 'reconcilerTestPgUrl';
export const PG_PROBLEM_KEY = 'reconcilerTestPgProblem';

declare module 'vitest' {
  export interface ProvidedContext {
    reconcilerTestPgUrl: string;
    reconcilerTestPgProblem: string;
  }
}

const USER = 'reconciler';

export default async function setup(project: TestProject): Promise<() => void> {
  const given = process.env.RECONCILER_TEST_PG_URL;
  if (given) {
    project.provide(PG_URL_KEY, given);
    project.provide(PG_PROBLEM_KEY, '');
    return () => undefined;
  }
  let dir: string | null = null;
  try {
    const bin = findPostgresBin();
    if (bin === null) throw new Error('no PostgreSQL server binaries found (initdb): install them with `apt-get install postgresql`');
    dir = mkdtempSync(join(tmpdir(), 'reconciler-pg-'));
    const port = await freePort();
    const asPostgres = process.getuid?.() === 0;
    if (asPostgres) {
      // PostgreSQL refuses to run as root: the cluster belongs to the postgres user.
      const { uid, gid } = postgresIds();
      chownSync(dir, uid, gid);
      chmodSync(dir, 0o700);
    }
    const run = (tool: string, args: string[]): void => {
      const command = asPostgres ? 'runuser' : join(bin, tool);
      const argv = asPostgres ? ['-u', 'postgres', '--', join(bin, tool), ...args] : args;
      const result = spawnSync(command, argv, { encoding: 'utf8', timeout: 60_000 });
      if (result.status !== 0) throw new Error(`${tool} ${args.join(' ')} failed: ${(result.stderr || result.stdout || String(result.error ?? '')).trim()}`);
    };
    run('initdb', ['-D', join(dir, 'data'), '-A', 'trust', '-U', USER, '-E', 'UTF8', '--no-sync']);
    run('pg_ctl', ['-D', join(dir, 'data'), '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300`, '-l', join(dir, 'log'), '-w', 'start']);
    const cluster = dir;
    project.provide(PG_URL_KEY, `postgres://${USER}@127.0.0.1:${port}/postgres`);
    project.provide(PG_PROBLEM_KEY, '');
    return () => {
      try {
        run('pg_ctl', ['-D', join(cluster, 'data'), '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(cluster, { recursive: true, force: true });
      }
    };
  } catch (error) {
    if (dir) rmSync(dir, { recursive: true, force: true });
    project.provide(PG_URL_KEY, '');
    project.provide(PG_PROBLEM_KEY, error instanceof Error ? error.message : String(error));
    return () => undefined;
  }
}
