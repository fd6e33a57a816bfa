import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { systemClock, type Clock } from '../../src/clock.js';
import { readConfig } from '../../src/config/read-config.js';
import { runPass } from '../../src/reconcile/pass.js';
import type { PassSummary } from '../../src/reconcile/summary.js';
import { startAirflowSim, type AirflowSim } from '../../src/sandbox/airflow/index.js';
import { startJiraSim, type JiraSim, type JiraSimOptions } from '../../src/sandbox/jira/server.js';
import { simEnv } from '../../src/sandbox/sim-env.js';

/** The engine in this process against both simulators; every request counted from their logs. */
export interface Rig {
  jira: JiraSim;
  airflow: AirflowSim;
  app: App;
  advance(ms: number): void;
  pass(): Promise<PassCounts>;
}

export interface PassCounts {
  summary: PassSummary;
  jira: Record<string, number>;
  airflow: Record<string, number>;
  jiraTotal: number;
  airflowTotal: number;
}

let cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

export interface RigOptions {
  apiVersion?: 'v1' | 'v2';
  screens?: 'full' | 'no-fields';
  jira?: Omit<JiraSimOptions, 'now' | 'transitionScreens'>;
  /** A config file's content (JSON), and more environment. */
  configFile?: string;
  env?: Record<string, string>;
}

export async function rig(options: RigOptions = {}): Promise<Rig> {
  let simNow = Date.now();
  // One clock for the engine and both simulators, so the test can let minutes pass.
  const clock: Clock = { now: () => new Date(simNow), sleep: (ms, signal) => systemClock.sleep(ms, signal) };
  const jira = await startJiraSim({ ...options.jira, now: () => simNow, ...(options.screens ? { transitionScreens: options.screens } : {}) });
  const airflow = await startAirflowSim({ now: () => simNow, apiVersion: options.apiVersion ?? 'v1', timing: { queuedMs: 1_000, runningMs: 1_000 } });
  const dir = mkdtempSync(join(tmpdir(), 'reconciler-counts-'));
  const env = simEnv(jira.url, airflow.url, {
    RECONCILER_DB: join(dir, 'r.db'),
    LOG_LEVEL: 'silent',
    AIRFLOW_API_VERSION: options.apiVersion ?? 'v1',
    ...options.env,
  });
  const sink = new PassThrough();
  sink.resume();
  const app = await createApp(readConfig(env, options.configFile ? { path: join(dir, 'config.json'), text: options.configFile } : null), { env, stdout: sink, stderr: sink, clock }, { command: 'test', logTo: 'stderr' });
  cleanups.push(async () => {
    await app.close();
    await Promise.all([jira.close(), airflow.close()]);
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    jira,
    airflow,
    app,
    advance: (ms) => void (simNow += ms),
    async pass() {
      jira.log.clear();
      airflow.log.clear();
      const summary = await runPass(app.pass);
      return {
        summary, jira: jira.log.counters(), airflow: airflow.log.counters(), jiraTotal: jira.log.entries.length, airflowTotal: airflow.log.entries.length };
    },
  };
}

export function readyTickets(jira: JiraSim, count: number, source = 'alfabeta'): string[] {
  return Array.from({ length: count }, (_, i) => {
    const { key } = jira.createIssue({ summary: `request ${i}`, source, runType: 'DELTA', environment: 'dev', params: { limit: i + 1 } });
    jira.moveIssue(key, 'Ready to Run');
    return key;
  });
}

