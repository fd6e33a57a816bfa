import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PER_ISSUE_REASON } from '../../src/sandbox/common/chaos.js';
import { startAirflowSim, type AirflowSim } from '../../src/sandbox/airflow/index.js';
import { startJiraSim, type JiraSim } from '../../src/sandbox/jira/server.js';
import { simEnv } from '../../src/sandbox/sim-env.js';
import { ensureBuilt, logRecords } from '../support/built-cli.js';
import { startDaemon } from './daemon-child.js';

/**
 * The daemon as a child: one ticket's writes held for ten minutes by Jira's per-issue limit. The ticket is
 * set aside with its due time; the other tickets, and a request made meanwhile, are worked to the end in
 * the passes that follow; a stop drops the hold; the next start finishes the held ticket with its one run.
 */
describe('a ticket held for minutes does not hold the daemon', () => {
  let jira: JiraSim;
  let airflow: AirflowSim;
  let dir: string;

  beforeAll(async () => {
    await ensureBuilt();
    jira = await startJiraSim();
    airflow = await startAirflowSim({ timing: { queuedMs: 0, runningMs: 300 } });
    dir = mkdtempSync(join(tmpdir(), 'set-aside-'));
  }, 60_000);

  afterAll(async () => {
    await Promise.all([jira.close(), airflow.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('works the others and a new request while it waits, stops at once, and finishes it after a restart', async () => {
    const ready = (): string => {
      const { key } = jira.createIssue({ source: 'quebec', runType: 'DELTA', environment: 'dev', params: {} });
      jira.moveIssue(key, 'Ready to Run');
      return key;
    };
    const held = ready();
    const others = [ready(), ready()];
    jira.faults.inject({
      fault: { kind: 'status', status: 429, retryAfter: '600', headers: { 'RateLimit-Reason': PER_ISSUE_REASON } },
      method: 'PUT',
      path: new RegExp(`^/rest/api/3/issue/${held}$`),
    });
    const env = simEnv(jira.url, airflow.url, { RECONCILER_DB: join(dir, 'r.db'), RECONCILE_INTERVAL_SECONDS: '1', METRICS_PORT: '0', LOG_LEVEL: 'info' });
    const first = startDaemon(env);
    await first.until('the other tickets to complete', () => others.every((key) => jira.issue(key).status === 'Completed'));
    const late = ready();
    await first.until('the request made meanwhile to complete', () => jira.issue(late).status === 'Completed');
    const setAside = logRecords(first.process.lines).filter((r) => r.msg === 'Ticket requests set aside');
    expect(setAside.some((r) => (r.pending as string[]).includes(held))).toBe(true);
    expect(jira.issue(held).status).toBe('Ready to Run');
    expect(await first.kill('SIGTERM')).toBe(0);

    jira.faults.clear();
    const second = startDaemon(env);
    await second.until('the held ticket to complete', () => jira.issue(held).status === 'Completed');
    expect(await second.kill('SIGTERM')).toBe(0);
    for (const key of [held, ...others, late]) {
      expect(airflow.runs().filter((run) => run.conf.jira_issue_key === key)).toHaveLength(1);
    }
  }, 120_000);
});
