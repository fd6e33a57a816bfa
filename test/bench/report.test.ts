import { describe, expect, it } from 'vitest';
import { EMPTY_TALLY } from '../../src/bench/counting.js';
import { backendRows, renderTable, type BenchResults } from '../../src/bench/report.js';
import type { LifecycleFigures } from '../../src/bench/scenarios/lifecycle.js';
import type { PassFigures, SteadyFigures } from '../../src/bench/scenarios/steady.js';

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
  states: ['sqlite'],
  stateNote: null,
  postgres: null,
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

function lifecycleOn(state: 'sqlite' | 'postgres', jiraEdits: number): LifecycleFigures {
  const jira = { total: 10 + jiraEdits, byRoute: { 'POST /rest/api/3/search/jql': 10, 'PUT /rest/api/3/issue/:key': jiraEdits } };
  const airflow = { total: 20, byRoute: { 'POST /api/v1/dags/:dag/dagRuns': 20 } };
  return {
    kind: 'seen-running',
    strategy: 'product',
    state,
    tickets: 10,
    passes: 3,
    finished: 10,
    errors: 0,
    requests: { jira, airflow },
    perTicket: { total: (30 + jiraEdits) / 10, jira: (10 + jiraEdits) / 10, airflow: 2, jiraByRoute: {}, airflowByRoute: {} },
    wallMs: 1_000,
    triggerThroughput: { tickets: 10, seconds: 1, perSecond: 10, announced: 10 },
    peakRssMiB: null,
    database:
      state === 'postgres'
        ? {
            perPass: [
              { total: 200, state: 198, lease: 2, sessions: 2 },
              { total: 50, state: 48, lease: 2, sessions: 2 },
              { total: 90, state: 88, lease: 2, sessions: 2 },
            ],
            total: { total: 340, state: 334, lease: 6, sessions: 6 },
            perTicket: 34,
          }
        : null,
  };
}

function steadyOn(state: 'sqlite' | 'postgres', inFlight: number): SteadyFigures {
  const pass: PassFigures = {
    requests: { jira: { total: 1, byRoute: { 'POST /rest/api/3/search/jql': 1 } }, airflow: { total: 2, byRoute: { 'GET /api/v1/dags/~/dagRuns': 2 } }, total: 3 },
    jiraWrites: 0,
    wallMs: 250,
    estimated: false,
    peakRssMiB: null,
    roundTrips: state === 'postgres' ? { total: 16, state: 14, lease: 2, sessions: 2 } : null,
    errors: 0,
  };
  return { strategy: 'product', state, inFlight, seedMs: 0, resync: pass, steady: pass, steadyPasses: [pass] };
}

describe('the backends table', () => {
  it('puts SQLite and PostgreSQL side by side, says the requests are the same, and shows round trips per pass and per ticket', () => {
    const rows = backendRows({
      lifecycle: [{ tickets: 10, product: lifecycleOn('sqlite', 5), naive: null }],
      steady: [{ inFlight: 10_000, product: steadyOn('sqlite', 10_000), naive: null }],
      postgres: { lifecycle: [lifecycleOn('postgres', 5)], steady: [steadyOn('postgres', 10_000)] },
    });
    const text = rows.map((row) => row.join(' | '));
    expect(text).toContain('lifecycle (runs seen running), N = 10: requests per ticket | 3.5 (Jira 1.5, Airflow 2) | 3.5 (Jira 1.5, Airflow 2) | the same');
    expect(text).toContain('lifecycle (runs seen running), N = 10: database round trips | - | 34 per ticket (340 in 3 passes: 200, 50, 90; lease 6) | ');
    expect(text).toContain('steady pass, 10,000 in flight, nothing changed: requests, wall time | 3 (Jira 1, Airflow 2), 0.25 s | 3 (Jira 1, Airflow 2), 0.25 s | the same');
    expect(text).toContain('steady pass, 10,000 in flight, nothing changed: database round trips | - | 16 per pass (state 14, lease 2; 2 sessions), 0.002 per ticket | ');
  });

  it('says where the requests differ between the backends', () => {
    const rows = backendRows({
      lifecycle: [{ tickets: 10, product: lifecycleOn('sqlite', 5), naive: null }],
      steady: [],
      postgres: { lifecycle: [{ ...lifecycleOn('postgres', 6), errors: 1 }], steady: [] },
    });
    expect(rows[0]?.[3]).toBe('DIFFER (SQLite vs PostgreSQL): Jira PUT /rest/api/3/issue/:key: 5 vs 6 (ticket errors: SQLite 0, PostgreSQL 1)');
  });

  it('prints the note saying how to get the PostgreSQL figures when they were left out', () => {
    expect(renderTable({ ...results, stateNote: 'no PostgreSQL server binaries were found' })).toContain('NOTE: no PostgreSQL server binaries were found');
  });
});
