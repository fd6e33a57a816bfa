import axios from 'axios';
import { Version3Client } from 'jira.js';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { observedAdapter } from '../../src/http/observed-adapter.js';
import { RateGate } from '../../src/http/rate-gate.js';
import { isStopped, withRetry } from '../../src/http/retry.js';
import { holderIdentity } from '../../src/lease/holder-id.js';
import { LeaseLostError } from '../../src/lease/lease-lost-error.js';
import { PgLease } from '../../src/lease/pg-lease.js';
import { guardRequests, maxWriteTimeoutMs } from '../../src/lease/write-guard.js';
import { Metrics } from '../../src/observability/metrics.js';
import { fakeClock } from '../support/fake-clock.js';
import { useNock } from '../support/nock.js';
import { useCleanups } from './helpers.js';

const JIRA = 'https://fenced.atlassian.net';
const AIRFLOW = 'https://airflow.fenced.example';

function write(timeoutMs: number): { write: true; timeoutMs: number } {
  return { write: true, timeoutMs };
}

describe('guardRequests', () => {
  it('lets a read go while the lease is valid at all, and refuses it once the lease has lapsed', () => {
    let valid = 1;
    const guard = guardRequests({ validForMs: () => valid });
    expect(() => guard({ write: false, timeoutMs: 30_000 })).not.toThrow();
    valid = 0;
    expect(() => guard({ write: false, timeoutMs: 30_000 })).toThrow('read not sent: this process does not hold the leader lease');
  });

  it('lets a write go only while the lease outlasts its timeout', () => {
    let valid = 10_000;
    const guard = guardRequests({ validForMs: () => valid });
    expect(() => guard(write(9_999))).not.toThrow();
    expect(() => guard(write(10_000))).toThrow(LeaseLostError);
    valid = 0;
    expect(() => guard(write(1))).toThrow('write not sent: this process does not hold the leader lease');
  });

  it('says the numbers, and what to change when the timeout can never fit the lease', () => {
    const guard = guardRequests({ validForMs: () => 9_000 }, 15);
    expect(() => guard(write(30_000))).toThrow(
      "write not sent: the leader lease is known valid for 9000 ms more, not longer than the request's timeout of 30000 ms; " +
        'a request timeout of 30000 ms can never fit a 15 s lease: lower http.timeoutMs below 8500 ms or raise ha.leaseSeconds',
    );
    expect(maxWriteTimeoutMs(15)).toBe(8_500);
  });
});

describe('the guard wired before upstream writes', () => {
  useNock();

  function guarded(valid: () => number): { clock: ReturnType<typeof fakeClock>; deps: Parameters<typeof observedAdapter>[2]; metrics: Metrics } {
    const clock = fakeClock(new Date('2026-12-01T10:00:00Z'));
    const gate = new RateGate({ clock, concurrency: 2 });
    return { clock, deps: { gate, clock, leaseGuard: guardRequests({ validForMs: valid }) }, metrics: new Metrics() };
  }

  it('refuses a write without sending it, never retries it, and lets reads through while the lease is valid', async () => {
    let valid = 0;
    const { clock, deps, metrics } = guarded(() => valid);
    const http = axios.create({ baseURL: AIRFLOW, timeout: 5_000, adapter: observedAdapter('airflow', metrics, deps) });
    let posts = 0;
    nock(AIRFLOW)
      .post('/api/v1/dags/scraper_lafa/dagRuns')
      .times(5)
      .reply(() => (posts++, [200, {}]));
    nock(AIRFLOW).get('/api/v1/dags/scraper_lafa').reply(200, { dag_id: 'scraper_lafa' });

    const attempts: number[] = [];
    const refused = await withRetry(
      'airflow',
      () => {
        attempts.push(attempts.length + 1);
        return http.post('/api/v1/dags/scraper_lafa/dagRuns', { dag_run_id: 'jira__SCR-1__1' });
      },
      { clock, retries: 4 },
    ).catch((error: unknown) => error);
    expect(isStopped(refused)).toBe(true);
    expect((refused as Error).message).toBe('airflow request not sent: write not sent: this process does not hold the leader lease (a standby, or it stepped down); the leader does the write');
    expect(posts).toBe(0);
    expect(attempts).toEqual([1]);
    expect(clock.sleeps).toEqual([]);
    // Nothing was sent, so nothing is counted as an upstream request.
    expect(await metrics.registry.getSingleMetricAsString('reconciler_upstream_requests_total')).not.toContain('upstream="airflow"');

    // No lease at all: the read is not sent either.
    await expect(http.get('/api/v1/dags/scraper_lafa')).rejects.toThrow('read not sent: this process does not hold the leader lease');
    // Valid for less than the timeout: too short for a write, enough for a read.
    valid = 3_000;
    expect((await http.get('/api/v1/dags/scraper_lafa')).data).toEqual({ dag_id: 'scraper_lafa' });
  });

  it('passes the request timeout to the guard and sends the write while the lease outlasts it', async () => {
    const asked: number[] = [];
    const { deps } = guarded(() => 8_000);
    const guard = deps!.leaseGuard!;
    const http = axios.create({
      baseURL: AIRFLOW,
      timeout: 5_000,
      adapter: observedAdapter('airflow', new Metrics(), { ...deps!, leaseGuard: (request) => (asked.push(request.timeoutMs), guard(request)) }),
    });
    const scope = nock(AIRFLOW).patch('/api/v1/dags/scraper_lafa/dagRuns/x').reply(200, {});
    await http.patch('/api/v1/dags/scraper_lafa/dagRuns/x', { state: 'failed' });
    scope.done();
    expect(asked).toEqual([5_000]);
    // A request with no timeout could outlive any lease.
    const untimed = axios.create({ baseURL: AIRFLOW, adapter: observedAdapter('airflow', new Metrics(), deps) });
    await expect(untimed.post('/api/v1/x', {})).rejects.toThrow("not longer than the request's timeout of Infinity ms");
  });

  it('refuses a Jira write made through jira.js, which rewraps errors, as not sent and not retried', async () => {
    const { clock, deps } = guarded(() => 0);
    const client = new Version3Client({ host: JIRA, baseRequestConfig: { timeout: 5_000, adapter: observedAdapter('jira', new Metrics(), deps) } });
    let comments = 0;
    nock(JIRA)
      .post('/rest/api/3/issue/SCR-1/comment')
      .times(5)
      .reply(() => (comments++, [201, {}]));
    const refused = await withRetry('jira', () => client.issueComments.addComment({ issueIdOrKey: 'SCR-1', comment: 'started' }), {
      clock,
      retries: 4,
      gated: true,
    }).catch((error: unknown) => error);
    expect(isStopped(refused)).toBe(true);
    expect((refused as Error).message).toContain('jira request not sent: write not sent');
    expect(comments).toBe(0);
    expect(clock.sleeps).toEqual([]);
  });
});

describe('the guard on a real lease', () => {
  useNock();
  const { later, database } = useCleanups();

  it('a leader frozen past its lease sends no write when it resumes', async () => {
    const db = await database();
    let now = 0;
    const lease = new PgLease({ connection: { connectionString: db.url }, leaseSeconds: 3, identity: holderIdentity('daemon', 'host-a', 1), monotonicMs: () => now });
    later(() => lease.close());
    expect((await lease.acquire()).held).toBe(true);

    const clock = fakeClock(new Date('2026-12-01T10:00:00Z'));
    const http = axios.create({
      baseURL: JIRA,
      timeout: 1_000,
      adapter: observedAdapter('jira', new Metrics(), { gate: new RateGate({ clock, concurrency: 1 }), clock, leaseGuard: guardRequests(lease) }),
    });
    let writes = 0;
    nock(JIRA)
      .put('/rest/api/3/issue/SCR-1')
      .times(2)
      .reply(() => (writes++, [204, '']));
    await http.put('/rest/api/3/issue/SCR-1', { fields: {} });
    expect(writes).toBe(1);

    // Frozen (SIGSTOP) for 2.5 s of a 3 s lease: 0.5 s left, less than the request's 1 s timeout.
    now += 2_500;
    await expect(http.put('/rest/api/3/issue/SCR-1', { fields: {} })).rejects.toThrow('write not sent: the leader lease is known valid for 500 ms more');
    now += 1_000;
    await expect(http.put('/rest/api/3/issue/SCR-1', { fields: {} })).rejects.toThrow('write not sent: this process does not hold the leader lease');
    expect(writes).toBe(1);
  });
});
