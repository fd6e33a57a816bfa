import { describe, expect, it } from 'vitest';
import { EMPTY_TALLY } from '../../src/bench/counting.js';
import { renderTable, type BenchResults } from '../../src/bench/report.js';

const tally = (total: number) => ({ total, byRoute: {} });

const results: BenchResults = {
  generatedAt: '2026-12-07T21:00:00.000Z',
  machine: { cpus: 2, node: '20.20.2', platform: 'linux' },
  latencyMs: 20,
  concurrency: 4,
  lifecycle: [],
  steady: [],
  triggerThroughput: { tickets: 0, product: { tickets: 0, seconds: 0, perSecond: 0, announced: 0 }, naive: null },
  memory: null,
  rateLimited: [],
  burst: [
    {
      deployment: 'datacenter',
      tickets: 1_000,
      announced: 1_000,
      burstSeconds: 58.5,
      after: [],
      rightAfter: { startsAfterSeconds: 0.1, jira: tally(20), airflow: tally(2), total: 22 },
      minuteAfter: { startsAfterSeconds: 60.1, jira: tally(1), airflow: tally(2), total: 3 },
    },
  ],
  latency: [
    {
      deployment: 'cloud',
      intervalSeconds: 30,
      tickets: 20,
      finished: 20,
      pickup: { count: 20, p50: 15.5, p95: 26, max: 30.3 },
      runEnd: null,
      idle: { passes: 2, seconds: 60, jiraPerMinute: 2, airflowPerMinute: 0, jira: tally(2), airflow: EMPTY_TALLY },
    },
  ],
};

describe('the bench table', () => {
  it('prints the steady passes after a burst, the latencies and the idle rate, naming deployment and interval', () => {
    const table = renderTable(results);
    expect(table).toMatch(/steady pass right after a burst, after 1,000 triggers in 58.5 s \(Jira datacenter\) +\| 22 \(Jira 20, Airflow 2\), 0.1 s after/);
    expect(table).toMatch(/steady pass a minute after a burst, after 1,000 triggers in 58.5 s \(Jira datacenter\) +\| 3 \(Jira 1, Airflow 2\), 60.1 s after/);
    expect(table).toMatch(/pickup latency, Ready to Run → DAG run, 30 s interval, Jira cloud, 20 of 20 tickets +\| p50 15.5 s, p95 26 s/);
    expect(table).toMatch(/run-end latency, run ended → ticket final, 30 s interval, Jira cloud, 20 of 20 tickets +\| n\/a/);
    expect(table).toMatch(/idle requests a minute, 30 s interval, Jira cloud +\| 2 \(Jira 2, Airflow 0\)/);
    expect(table).not.toContain('trigger throughput'); // no lifecycle run
  });
});
