import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { systemClock, type Clock } from '../../src/clock.js';
import { readConfig } from '../../src/config/read-config.js';
import { runPass } from '../../src/reconcile/pass.js';
import { startAirflowSim, type AirflowSim } from '../../src/sandbox/airflow/index.js';
import { startJiraSim, type JiraSim } from '../../src/sandbox/jira/server.js';
import { simEnv } from '../../src/sandbox/sim-env.js';

/** The engine in this process against both simulators; every request counted from their logs. */
interface Rig {
  jira: JiraSim;
  airflow: AirflowSim;
  app: App;
  advance(ms: number): void;
  pass(): Promise<{ jira: Record<string, number>; airflow: Record<string, number>; jiraTotal: number; airflowTotal: number }>;
}

let cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

async function rig(options: { apiVersion?: 'v1' | 'v2'; screens?: 'full' | 'no-fields' } = {}): Promise<Rig> {
  let simNow = Date.now();
  // One clock for the engine and both simulators, so the test can let minutes pass.
  const clock: Clock = { now: () => new Date(simNow), sleep: (ms, signal) => systemClock.sleep(ms, signal) };
  const jira = await startJiraSim({ now: () => simNow, ...(options.screens ? { transitionScreens: options.screens } : {}) });
  const airflow = await startAirflowSim({ now: () => simNow, apiVersion: options.apiVersion ?? 'v1', timing: { queuedMs: 1_000, runningMs: 1_000 } });
  const dir = mkdtempSync(join(tmpdir(), 'reconciler-counts-'));
  const env = simEnv(jira.url, airflow.url, {
    RECONCILER_DB: join(dir, 'r.db'),
    LOG_LEVEL: 'silent',
    AIRFLOW_API_VERSION: options.apiVersion ?? 'v1',
  });
  const sink = new PassThrough();
  sink.resume();
  const app = await createApp(readConfig(env, null), { env, stdout: sink, stderr: sink, clock }, { command: 'test', logTo: 'stderr' });
  cleanups.push(async () => {
    app.close();
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
      await runPass(app.pass);
      return { jira: jira.log.counters(), airflow: airflow.log.counters(), jiraTotal: jira.log.entries.length, airflowTotal: airflow.log.entries.length };
    },
  };
}

function readyTickets(jira: JiraSim, count: number, source = 'alfabeta'): string[] {
  return Array.from({ length: count }, (_, i) => {
    const { key } = jira.createIssue({ summary: `request ${i}`, source, runType: 'DELTA', environment: 'dev', params: { limit: i + 1 } });
    jira.moveIssue(key, 'Ready to Run');
    return key;
  });
}

describe('what a lifecycle costs in requests', () => {
  it.each(['v1', 'v2'] as const)(
    '20 tickets from Ready to Completed on Airflow %s: one search, one confirming read, one trigger and one edit each, then the feed, one XCom read and one bundled transition each',
    async (apiVersion) => {
      const r = await rig({ apiVersion });
      const keys = readyTickets(r.jira, 20);

      const first = await r.pass();
      expect(first.jira).toEqual({
        'POST /rest/api/3/search/jql': 2, // the Ready search, then the read-after-write confirmation of 20 new requests
        'PUT /rest/api/3/issue/:key': 20, // Airflow Run ID, Run Status and the started comment, in one edit
      });
      expect(first.airflow[`POST /api/${apiVersion}/dags/:dagId/dagRuns`]).toBe(20);
      expect(first.airflowTotal).toBe(20 + 1 + (apiVersion === 'v2' ? 1 : 0)); // + one DAG check (+ the v2 token)

      r.advance(5_000);
      const second = await r.pass();
      expect(second.jira).toEqual({
        'POST /rest/api/3/search/jql': 1,
        'GET /rest/api/3/issue/:key/transitions': 1, // once for every ticket of the project in Ready to Run
        'POST /rest/api/3/issue/:key/transitions': 20, // fields, comment and the move in one request
      });
      expect(second.airflowTotal).toBe(2 + 20); // started-since and ended-since, then each run's result
      for (const key of keys) {
        const issue = r.jira.issue(key);
        expect(issue.status).toBe('Completed');
        expect(r.jira.comments(key)).toHaveLength(2);
      }

      const total = first.jiraTotal + first.airflowTotal + second.jiraTotal + second.airflowTotal;
      expect(total / 20).toBeLessThanOrEqual(4.6);
    },
  );

  it('a failed run without a screen on its transition: the edit with fields and comment first, the move last', async () => {
    const r = await rig({ screens: 'no-fields' });
    const [key] = readyTickets(r.jira, 1);
    r.airflow.plan({ dagId: 'scraper_alfabeta' }, { state: 'failed', result: { run_id: 'RUN-1', item_count: 0, error: 'portal answered 503' } });
    await r.pass();
    r.advance(5_000);
    const second = await r.pass();
    expect(second.jira).toMatchObject({ 'PUT /rest/api/3/issue/:key': 1, 'POST /rest/api/3/issue/:key/transitions': 1 });
    const writes = r.jira.log.entries.filter((e) => e.method !== 'GET' && !e.path.includes('/search'));
    expect(writes.map((e) => e.method)).toEqual(['PUT', 'POST']);
    expect(r.jira.issue(key ?? '').status).toBe('Failed - Needs Investigation');
    expect(r.jira.comments(key ?? '').at(-1)?.text).toContain('portal answered 503');
  });
});

describe('what a steady pass costs in requests', () => {
  it('with 150 runs in flight on three DAGs and nothing changed: one Jira search and two Airflow lists', async () => {
    const r = await rig();
    readyTickets(r.jira, 50, 'alfabeta');
    readyTickets(r.jira, 50, 'quebec');
    readyTickets(r.jira, 50, 'lafa');
    r.airflow.plan({}, { state: 'success', durationMs: 24 * 3_600_000 });
    await r.pass();
    r.advance(1_500); // every run starts running
    await r.pass();
    r.advance(10 * 60_000);
    // This pass still sees the last pass's own writes (Run Status running) in the search, once.
    await r.pass();
    r.advance(10 * 60_000);
    // The runs were seen running; past the feeds' overlap (5 minutes) nothing changes any more.
    const steady = await r.pass();
    expect(steady.jira).toEqual({ 'POST /rest/api/3/search/jql': 1 });
    expect(steady.airflow).toEqual({ 'POST /api/v1/dags/~/dagRuns/list': 2 });
    expect(steady.jiraTotal + steady.airflowTotal).toBeLessThanOrEqual(1 + 3);
  });
});
