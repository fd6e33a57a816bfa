import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
export const CLI = join(ROOT, 'dist', 'cli.js');
const CLI_TIMEOUT_MS = 25_000;
/** Several test files start at once; one of them builds while the others wait for it. */
const BUILD_LOCK = join(tmpdir(), `jira-airflow-reconciler-build-${Buffer.from(ROOT).toString('hex').slice(-24)}.lock`);
const BUILD_WAIT_MS = 120_000;

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as one JSON value; throws with the output when it is not. */
  json<T = unknown>(): T;
}

export type ChildEnv = Record<string, string>;

/** Builds dist/ when dist/cli.js is missing or older than a file in src/. */
export async function ensureBuilt(): Promise<void> {
  if (isFresh()) return;
  const waitUntil = Date.now() + BUILD_WAIT_MS;
  while (!tryLock()) {
    if (Date.now() > waitUntil) throw new Error(`Gave up waiting for another test file's build (lock ${BUILD_LOCK}); remove it if no build runs`);
    await delay(250);
  }
  try {
    if (isFresh()) return;
    await run('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT, timeout: BUILD_WAIT_MS }).catch((error: unknown) => {
      const { stdout = '' } = error as { stdout?: string };
      // tsc still emits on type errors; those fail `npm run typecheck`, so only a build that left no fresh CLI stops the suite.
      if (!isFresh()) throw new Error(`The build failed (npx tsc -p tsconfig.build.json):\n${stdout}`, { cause: error });
      console.warn(`The build reported type errors; testing what it emitted:\n${stdout}`);
    });
  } finally {
    rmSync(BUILD_LOCK, { recursive: true, force: true });
  }
}

function tryLock(): boolean {
  try {
    mkdirSync(BUILD_LOCK);
    return true;
  } catch {
    // A lock left by a test run killed mid-build would block every later run.
    if (Date.now() - lockCreatedAt() > BUILD_WAIT_MS) rmSync(BUILD_LOCK, { recursive: true, force: true });
    return false;
  }
}

function lockCreatedAt(): number {
  try {
    return statSync(BUILD_LOCK).mtimeMs;
  } catch {
    return Date.now();
  }
}

function isFresh(): boolean {
  let built: number;
  try {
    built = statSync(CLI).mtimeMs;
  } catch {
    return false;
  }
  return newestMtime(join(ROOT, 'src')) <= built;
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Runs the built CLI with exactly `env` (plus PATH), never the test process's environment. */
export async function runCli(args: readonly string[], env: ChildEnv): Promise<CliResult> {
  const { code, stdout, stderr } = await run(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    env: childEnv(env),
    timeout: CLI_TIMEOUT_MS,
    maxBuffer: 32 * 1024 * 1024,
  }).then(
    (out) => ({ code: 0, stdout: out.stdout, stderr: out.stderr }),
    (error: unknown) => {
      const failed = error as { code?: unknown; stdout?: string; stderr?: string; killed?: boolean };
      if (typeof failed.code !== 'number') throw error;
      return { code: failed.code, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
    },
  );
  return {
    code,
    stdout,
    stderr,
    json<T>(): T {
      try {
        return JSON.parse(stdout) as T;
      } catch (cause) {
        throw new Error(`stdout of 'reconciler ${args.join(' ')}' is not JSON (exit ${code}):\n${stdout}\nstderr:\n${stderr}`, { cause });
      }
    },
  };
}

/** Starts the built CLI as a long-running child (the daemon); the caller stops it. */
export function spawnCli(args: readonly string[], env: ChildEnv): ChildProcess {
  return spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
}

function childEnv(env: ChildEnv): ChildEnv {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env };
}
