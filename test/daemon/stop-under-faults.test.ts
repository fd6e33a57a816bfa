import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAirflowSim, type AirflowSim } from '../../src/sandbox/airflow/index.js';
import { startJiraSim, type JiraSim } from '../../src/sandbox/jira/server.js';
import { simEnv } from '../../src/sandbox/sim-env.js';
import { startDaemon } from '../integration/daemon-child.js';
import { ensureBuilt, logRecords } from '../support/built-cli.js';

const TICKETS = 8;

/**
 * SIGTERM while the daemon waits out long Retry-After holds and 5xx backoffs: the waits are dropped, the
 * process exits 0 long before the stop deadline (60 s by default, whose path exits 1), and the next start
 * finishes every ticket with exactly one run each.
 */
describe('a stop under heavy faults', () => {
  let jira: JiraSim;
  let airflow: AirflowSim;
  let dir: string;
  const keys: string[] = [];

  beforeAll(async () => {
    await ensureBuilt();
    jira = await startJiraSim();
    airflow = await startAirflowSim({ timing: { queuedMs: 0, runningMs: 500 } });
    dir = mkdtempSync(join(tmpdir(), 'daemon-stop-'));
    for (let n = 0; n < TICKETS; n++) {
      const { key } = jira.createIssue({ source: 'quebec', runType: 'DELTA', environment: 'dev', params: {} });
      jira.moveIssue(key, 'Ready to Run');
      keys.push(key);
    }
  }, 60_000);

  afterAll(async () => {
    await Promise.all([jira.close(), airflow.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('drops its waits, exits 0 with the work recorded, and the next start finishes every ticket once', async () => {
    // Holds of a minute: a stop that waited them out would meet the stop deadline first.
    jira.faults.chaos({ seed: 7, latencyMs: 20, rateLimited: { rate: 0.3, retryAfter: '60' }, unavailable: { rate: 0.1 } });
    airflow.faults.chaos({ seed: 8, latencyMs: 20, rateLimited: { rate: 0.3, retryAfter: '60' }, unavailable: { rate: 0.1 } });
    const env = simEnv(jira.url, airflow.url, { RECONCILER_DB: join(dir, 'r.db'), RECONCILE_INTERVAL_SECONDS: '1', METRICS_PORT: '0', LOG_LEVEL: 'info' });
    const first = startDaemon(env);
    await first.until('a 429 hold to be waited out', () => (jira.log.faultCounts()['status 429'] ?? 0) + (airflow.log.faultCounts()['status 429'] ?? 0) > 0);
    expect(await first.kill('SIGTERM')).toBe(0);
    const records = logRecords(first.process.lines);
    expect(records.some((r) => r.msg === 'The pass did not finish before the stop deadline; stopping anyway')).toBe(false);
    const stopped = records.at(-1);
    expect(stopped?.msg).toBe('Daemon stopped');
    expect(typeof stopped?.pending).toBe('number');

    jira.faults.clear();
    airflow.faults.clear();
    const second = startDaemon(env);
    await second.until('every ticket to complete', () => keys.every((key) => jira.issue(key).status === 'Completed'));
    expect(await second.kill('SIGTERM')).toBe(0);
    for (const key of keys) {
      expect(airflow.runs().filter((run) => run.conf.jira_issue_key === key)).toHaveLength(1);
    }
  }, 90_000);
});
