import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SIM_JIRA_PAT } from '../sandbox/jira/server.js';
import { simEnv } from '../sandbox/sim-env.js';
import { readRss } from './proc-status.js';
import type { BenchSims } from './sims.js';

/** The built CLI next to this file's build (dist/bench/ → dist/cli.js). */
const CLI = fileURLToPath(new URL('../cli.js', import.meta.url));
/** Lets the bench ask the daemon for a garbage collection (SIGUSR2), so idle RSS is not garbage waiting. */
const GC_HOOK = fileURLToPath(new URL('./gc-hook.js', import.meta.url));
const RSS_SAMPLE_MS = 50;

export interface PassRun {
  /** The pass's own duration from its --json summary (process start-up excluded). */
  passMs: number;
  /** Process start to exit. */
  processMs: number;
  peakRssMiB: number | null;
  summary: { triggered: number; finished: number; ticketsSeen: number; inFlight: number; search: string; errors: number };
}

/** The environment an operator would set for these simulators: Data Center signs in with a personal access token. */
export function productEnv(sims: BenchSims, dbPath: string, extra: Record<string, string> = {}): Record<string, string> {
  const { JIRA_USERNAME, JIRA_API_TOKEN, ...rest } = simEnv(sims.jira.url, sims.airflow.url, { RECONCILER_DB: dbPath, LOG_LEVEL: 'error', ...extra });
  const jira = sims.deployment === 'cloud' ? { JIRA_USERNAME: JIRA_USERNAME ?? '', JIRA_API_TOKEN: JIRA_API_TOKEN ?? '' } : { JIRA_PAT: SIM_JIRA_PAT };
  return { PATH: process.env.PATH ?? '', ...rest, ...jira };
}

export function assertBuilt(): void {
  if (!existsSync(CLI)) throw new Error(`The built CLI ${CLI} is missing: run \`npm run build\` first (npm run bench does).`);
}

/** One `reconcile --json` pass as a child process, its peak RSS sampled from /proc while it runs. */
export async function reconcileOnce(env: Record<string, string>, timeoutMs: number): Promise<PassRun> {
  const started = Date.now();
  const child = spawn(process.execPath, [CLI, 'reconcile', '--json'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  let peak: number | null = null;
  const sampler = setInterval(() => {
    if (child.pid === undefined) return;
    void readRss(child.pid).then((rss) => {
      if (rss) peak = Math.max(peak ?? 0, rss.peakMiB);
    });
  }, RSS_SAMPLE_MS);
  const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (exitCode) => resolve(exitCode));
    });
    if (code !== 0) throw new Error(`reconcile exited ${code ?? 'on a signal (timed out?)'}: ${stderr.slice(-2_000)}`);
  } finally {
    clearInterval(sampler);
    clearTimeout(killer);
  }
  const summary = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as PassRun['summary'] & { durationMs: number };
  return {
    passMs: summary.durationMs,
    processMs: Date.now() - started,
    peakRssMiB: peak,
    summary: {
      triggered: summary.triggered,
      finished: summary.finished,
      ticketsSeen: summary.ticketsSeen,
      inFlight: summary.inFlight,
      search: summary.search,
      errors: summary.errors,
    },
  };
}

export interface Daemon {
  pid: number;
  /** Passes the daemon logged as completed so far. */
  passes(): number;
  /** Asks for a garbage collection in the daemon. */
  collectGarbage(): void;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit code. */
  stop(graceMs: number): Promise<number | null>;
}

/**
 * The `daemon` command as a child process, logging at info so its completed passes can be counted;
 * `onPass` is called as each pass's completion is read (the bench marks the request logs there).
 */
export function startDaemon(env: Record<string, string>, onPass?: () => void): Daemon {
  // The flags the systemd unit runs the daemon with (systemd/jira-airflow-reconciler.service).
  const child = spawn(process.execPath, ['--max-semi-space-size=1', '--expose-gc', '--import', GC_HOOK, CLI, 'daemon'], {
    env: { ...env, LOG_LEVEL: 'info', METRICS_PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error('The daemon did not start');
  let passes = 0;
  let pending = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    const lines = (pending + chunk.toString('utf8')).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.includes('"msg":"Pass completed"')) continue;
      passes++;
      onPass?.();
    }
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-4_000)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    pid: child.pid,
    passes: () => passes,
    collectGarbage: () => child.kill('SIGUSR2'),
    async stop(graceMs) {
      if (child.exitCode !== null) throw new Error(`The daemon had already exited ${child.exitCode}: ${stderr}`);
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      try {
        return await exited;
      } finally {
        clearTimeout(killer);
      }
    },
  };
}
