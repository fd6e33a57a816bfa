import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.js';
import { startAirflowSim, type AirflowSim } from '../../src/sandbox/airflow/index.js';
import { startJiraSim, type JiraSim } from '../../src/sandbox/jira/server.js';
import { simEnv } from '../../src/sandbox/sim-env.js';
import { openStore } from '../../src/store/sqlite-store.js';
import { ensureBuilt, logRecords, spawnCli, waitFor, type CliProcess } from '../support/built-cli.js';

const hasPromtool = spawnSync('promtool', ['--version']).status === 0;
if (!hasPromtool) console.warn('skipping the promtool check: promtool is not installed (apt-get install prometheus; .ci/run does)');

describe('daemon as a child process', () => {
  let jira: JiraSim;
  let airflow: AirflowSim;
  let dir: string;
  let daemon: CliProcess;
  let url: string;

  beforeAll(async () => {
    await ensureBuilt();
    jira = await startJiraSim();
    airflow = await startAirflowSim({ timing: { queuedMs: 0, runningMs: 0 } });
    dir = mkdtempSync(join(tmpdir(), 'daemon-test-'));
    const { key } = jira.createIssue({ source: 'quebec', runType: 'DELTA', environment: 'dev', params: {} });
    jira.moveIssue(key, 'Ready to Run');
    daemon = spawnCli(
      ['daemon'],
      simEnv(jira.url, airflow.url, { RECONCILER_DB: join(dir, 'r.db'), RECONCILE_INTERVAL_SECONDS: '1', METRICS_PORT: '0', LOG_LEVEL: 'info' }),
    );
    const started = await waitFor('the daemon to start', () => logRecords(daemon.lines).find((r) => r.msg === 'Daemon started'));
    url = String(started.metrics).replace(/\/metrics$/, '');
  }, 60_000);

  afterAll(async () => {
    if (daemon.child.exitCode === null) daemon.child.kill('SIGKILL');
    await Promise.all([jira.close(), airflow.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs passes that take a ticket from Ready to Run to Completed', async () => {
    await waitFor('the ticket to complete', () => jira.issue('SCR-1').status === 'Completed');
    expect(airflow.runs()).toHaveLength(1);
    expect(jira.comments('SCR-1')).toHaveLength(2);
  });

  it('serves /healthz, /readyz and /metrics', async () => {
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    await waitFor('readiness', async () => (await fetch(`${url}/readyz`)).status === 200);
    const text = await (await fetch(`${url}/metrics`)).text();
    for (const name of [
      'reconciler_passes_total',
      'reconciler_pass_duration_seconds',
      'reconciler_last_success_timestamp_seconds',
      'reconciler_dag_runs_triggered_total',
      'reconciler_runs_finished_total',
      'reconciler_tickets_rejected_total',
      'reconciler_runs_in_flight',
      'reconciler_upstream_requests_total',
      'reconciler_upstream_request_duration_seconds',
    ]) {
      expect(text).toContain(`# TYPE ${name} `);
    }
    expect(text).toMatch(/reconciler_dag_runs_triggered_total\{source="quebec"\} 1/);
    expect(text).toMatch(/reconciler_upstream_requests_total\{upstream="jira",code="200"\} \d+/);
    expect(text).toContain('process_resident_memory_bytes');
  });

  it.skipIf(!hasPromtool)('passes promtool check metrics with no lint complaint', async () => {
    const text = await (await fetch(`${url}/metrics`)).text();
    const check = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect(check.stdout + check.stderr).toBe('');
    expect(check.status).toBe(0);
  });

  it('goes unready while Jira is down and ready again when it is back', async () => {
    await jira.server.pause();
    try {
      await waitFor('/readyz to answer 503', async () => (await fetch(`${url}/readyz`)).status === 503, 30_000);
    } finally {
      await jira.server.resume();
    }
    await waitFor('/readyz to answer 200 again', async () => (await fetch(`${url}/readyz`)).status === 200, 60_000);
  }, 120_000);

  it('on SIGTERM mid-pass finishes the pass, releases the lock and exits 0', async () => {
    jira.faults.inject({ fault: { kind: 'latency', ms: 1500 }, method: 'POST', path: '/rest/api/3/search/jql', times: 1 });
    daemon.child.kill('SIGUSR1');
    await waitFor('a pass to be waiting on Jira', () => jira.faults.pending().length === 0);
    const completedBefore = logRecords(daemon.lines).filter((r) => r.msg === 'Pass completed').length;
    daemon.child.kill('SIGTERM');
    expect(await daemon.exited).toBe(0);
    const records = logRecords(daemon.lines);
    expect(records.filter((r) => r.msg === 'Pass completed').length).toBe(completedBefore + 1);
    expect(records.at(-1)?.msg).toBe('Daemon stopped');
    const store = await openStore(join(dir, 'r.db'), { clock: systemClock, command: 'test', lockWaitMs: 0 });
    store.close();
  }, 30_000);
});

describe('daemon refuses a bad configuration', () => {
  it('exits 1 naming the missing setting', async () => {
    await ensureBuilt();
    const result = spawnSync(process.execPath, ['dist/cli.js', 'daemon'], { env: { PATH: process.env.PATH }, encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('JIRA_BASE_URL');
  });
});

describe('a second stop signal while a pass hangs', () => {
  it('ends the process at once with 130 and releases the lock', async () => {
    await ensureBuilt();
    const jira = await startJiraSim();
    const airflow = await startAirflowSim();
    const dir = mkdtempSync(join(tmpdir(), 'daemon-force-'));
    try {
      jira.faults.inject({ fault: { kind: 'latency', ms: 120_000 }, method: 'POST', path: '/rest/api/3/search/jql', times: 1 });
      const daemon = spawnCli(['daemon'], simEnv(jira.url, airflow.url, { RECONCILER_DB: join(dir, 'r.db'), METRICS_PORT: '0', LOG_LEVEL: 'info' }));
      await waitFor('the first pass to wait on Jira', () => jira.faults.pending().length === 0);
      daemon.child.kill('SIGTERM');
      await waitFor('the stop to be taken', () => logRecords(daemon.lines).some((r) => r.msg === 'Stopping: finishing the current pass'));
      daemon.child.kill('SIGTERM');
      expect(await daemon.exited).toBe(130);
      const store = await openStore(join(dir, 'r.db'), { clock: systemClock, command: 'test', lockWaitMs: 0 });
      store.close();
    } finally {
      await Promise.all([jira.close(), airflow.close()]);
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
