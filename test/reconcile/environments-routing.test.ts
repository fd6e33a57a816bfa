import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import type { Clock } from '../../src/clock.js';
import { systemClock } from '../../src/clock.js';
import { readConfig } from '../../src/config/read-config.js';
import { runPass } from '../../src/reconcile/pass.js';
import { startAirflowSim } from '../../src/sandbox/airflow/index.js';
import { startJiraSim, type JiraSim } from '../../src/sandbox/jira/server.js';
import { simEnv } from '../../src/sandbox/sim-env.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function ready(jira: JiraSim, environment: string): string {
  const { key } = jira.createIssue({ summary: 'request', source: 'lafa', runType: 'DELTA', environment, params: {} });
  jira.moveIssue(key, 'Ready to Run');
  return key;
}

describe('environments routed to their own Airflow', () => {
  it("triggers, polls and finishes each ticket on its environment's Airflow; one Airflow down fails only its tickets", async () => {
    let simNow = Date.now();
    const clock: Clock = { now: () => new Date(simNow), sleep: (ms, signal) => systemClock.sleep(ms, signal) };
    const jira = await startJiraSim({ now: () => simNow });
    const main = await startAirflowSim({ now: () => simNow, apiVersion: 'v1', timing: { queuedMs: 1_000, runningMs: 1_000 } });
    const prod = await startAirflowSim({ now: () => simNow, apiVersion: 'v2', users: [{ username: 'prod-bot', password: 'prod-pass' }], timing: { queuedMs: 1_000, runningMs: 1_000 } });
    const dir = mkdtempSync(join(tmpdir(), 'reconciler-envs-'));
    const file = { http: { retries: 1 }, environments: { dev: {}, staging: {}, prod: { airflowBaseUrl: prod.url, airflowApiVersion: 'v2' } } };
    const env = simEnv(jira.url, main.url, { RECONCILER_DB: join(dir, 'r.db'), LOG_LEVEL: 'silent', AIRFLOW_PROD_USER: 'prod-bot', AIRFLOW_PROD_PASS: 'prod-pass' });
    const sink = new PassThrough();
    sink.resume();
    const config = readConfig(env, { path: join(dir, 'c.json'), text: JSON.stringify(file) });
    const app = await createApp(config, { env, stdout: sink, stderr: sink, clock }, { command: 'test', logTo: 'stderr' });
    let prodOpen = true;
    cleanups.push(async () => {
      await app.close();
      await Promise.all([jira.close(), main.close(), ...(prodOpen ? [prod.close()] : [])]);
      rmSync(dir, { recursive: true, force: true });
    });
    const devKey = ready(jira, 'dev');
    const prodKey = ready(jira, 'prod');

    await runPass(app.pass);
    expect(main.runs().map((r) => r.conf.jira_issue_key)).toEqual([devKey]);
    expect(prod.runs().map((r) => r.conf.jira_issue_key)).toEqual([prodKey]);

    await prod.close();
    prodOpen = false;
    simNow += 5_000;
    const summary = await runPass(app.pass);
    expect(summary.airflowDown.map((d) => d.instance)).toEqual(['prod']);
    expect(jira.issue(devKey).status).toBe('Completed');
    expect(jira.issue(prodKey).status).toBe('Ready to Run');
    expect(app.airflows.down().map((d) => d.instance)).toEqual(['prod']);
  });
});
