import axios, { type AxiosInstance } from 'axios';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createAirflowClient } from '../../src/airflow/client.js';
import { observedAdapter } from '../../src/http/observed-adapter.js';
import { RateGate } from '../../src/http/rate-gate.js';
import { withRetry } from '../../src/http/retry.js';
import { Metrics } from '../../src/observability/metrics.js';
import { testConfig } from '../airflow/helpers.js';
import { fakeClock, type FakeClock } from '../support/fake-clock.js';
import { captureLog } from '../support/log-capture.js';
import { useNock } from '../support/nock.js';

const JIRA = 'https://scoped.atlassian.net';
const START = new Date('2025-01-05T12:00:00.000Z');
const API = '/rest/api/3';

interface Rig {
  clock: FakeClock;
  gate: RateGate;
  http: AxiosInstance;
  metrics: Metrics;
  /** Sends a request; resolves with the status, and the clock's time (ms after START) when it went. */
  send(method: string, path: string): Promise<{ status: number; at: number }>;
}

function rig(): Rig {
  const clock = fakeClock(START, { sleepAdvances: true });
  const metrics = new Metrics();
  const gate = new RateGate({ clock, concurrency: 4, onThrottled: (seconds, scope) => metrics.throttled('jira', seconds, scope) });
  const http = axios.create({ baseURL: JIRA, adapter: observedAdapter('jira', metrics, { gate, clock }), validateStatus: () => true });
  return {
    clock,
    gate,
    http,
    metrics,
    async send(method, path) {
      const response = await http.request({ method, url: path });
      return { status: response.status, at: Number(response.headers['x-answered-at']) - START.getTime() };
    },
  };
}

/** Answers with the sim clock's time in a header, so a test sees when the request went. */
function answer(clock: FakeClock, status: number, headers: Record<string, string> = {}): () => [number, string, Record<string, string>] {
  return () => [status, '{}', { 'x-answered-at': String(clock.now().getTime()), ...headers }];
}

function throttled(reason?: string): Record<string, string> {
  return { 'retry-after': '2', ...(reason ? { 'ratelimit-reason': reason } : {}) };
}

/** A 429 that goes through the gate's error path (axios rejects non-2xx by default). */
async function get429(world: Rig, method: string, path: string, reason?: string): Promise<void> {
  nock(JIRA).intercept(path, method).reply(429, '{}', throttled(reason));
  const strict = axios.create({ baseURL: JIRA, adapter: observedAdapter('jira', world.metrics, { gate: world.gate, clock: world.clock }) });
  await expect(strict.request({ method, url: path })).rejects.toThrow(/429/);
}

describe('holds scoped as Jira scopes them', () => {
  useNock();

  it('a burst 429 on PUT /issue holds every PUT /issue/{key}, and not searches, reads or transitions', async () => {
    const world = rig();
    await get429(world, 'PUT', `${API}/issue/SCR-1`, 'jira-burst-based');
    const scope = nock(JIRA)
      .post(`${API}/search/jql`).reply(answer(world.clock, 200))
      .get(`${API}/issue/SCR-1`).reply(answer(world.clock, 200))
      .get(`${API}/issue/SCR-1/transitions`).reply(answer(world.clock, 200))
      .post(`${API}/issue/SCR-1/transitions`).reply(answer(world.clock, 204))
      .put(`${API}/issue/SCR-2`).reply(answer(world.clock, 204));

    expect(await world.send('POST', `${API}/search/jql`)).toEqual({ status: 200, at: 0 });
    expect(await world.send('GET', `${API}/issue/SCR-1`)).toEqual({ status: 200, at: 0 });
    expect(await world.send('GET', `${API}/issue/SCR-1/transitions`)).toEqual({ status: 200, at: 0 });
    expect(await world.send('POST', `${API}/issue/SCR-1/transitions`)).toEqual({ status: 204, at: 0 });
    expect(world.clock.sleeps).toEqual([]);
    // Another issue, the same endpoint and method: held until the Retry-After ends.
    expect(await world.send('PUT', `${API}/issue/SCR-2`)).toEqual({ status: 204, at: 2_000 });
    expect(world.clock.sleeps).toEqual([2_000]);
    scope.done();
    expect(await world.metrics.registry.getSingleMetricAsString('reconciler_upstream_throttled_seconds_total')).toContain(
      'reconciler_upstream_throttled_seconds_total{upstream="jira",scope="endpoint"} 2',
    );
  });

  it("a per-issue 429 holds only that issue's writes", async () => {
    const world = rig();
    await get429(world, 'PUT', `${API}/issue/SCR-1`, 'jira-per-issue-on-write');
    const scope = nock(JIRA)
      .put(`${API}/issue/SCR-2`).reply(answer(world.clock, 204))
      .get(`${API}/issue/SCR-1`).reply(answer(world.clock, 200))
      .post(`${API}/search/jql`).reply(answer(world.clock, 200))
      .post(`${API}/issue/SCR-1/transitions`).reply(answer(world.clock, 204));

    expect(await world.send('PUT', `${API}/issue/SCR-2`)).toEqual({ status: 204, at: 0 });
    expect(await world.send('GET', `${API}/issue/SCR-1`)).toEqual({ status: 200, at: 0 });
    expect(await world.send('POST', `${API}/search/jql`)).toEqual({ status: 200, at: 0 });
    expect(world.clock.sleeps).toEqual([]);
    expect(await world.send('POST', `${API}/issue/SCR-1/transitions`)).toEqual({ status: 204, at: 2_000 });
    scope.done();
    expect(await world.metrics.registry.getSingleMetricAsString('reconciler_upstream_throttled_seconds_total')).toContain('scope="issue"} 2');
  });

  it.each([['jira-quota-tenant-based'], ['jira-quota-global-based'], [undefined]])('a 429 with reason %s holds all of that Jira', async (reason) => {
    const world = rig();
    await get429(world, 'PUT', `${API}/issue/SCR-1`, reason);
    const scope = nock(JIRA).post(`${API}/search/jql`).reply(answer(world.clock, 200)).get(`${API}/issue/SCR-9`).reply(answer(world.clock, 200));
    expect(await world.send('POST', `${API}/search/jql`)).toEqual({ status: 200, at: 2_000 });
    expect(await world.send('GET', `${API}/issue/SCR-9`)).toEqual({ status: 200, at: 2_000 });
    expect(world.clock.sleeps).toEqual([2_000]);
    scope.done();
    expect(await world.metrics.registry.getSingleMetricAsString('reconciler_upstream_throttled_seconds_total')).toContain('scope="tenant"} 2');
  });

  it('a throttled request is retried the moment its hold ends, not later', async () => {
    const world = rig();
    const scope = nock(JIRA)
      .put(`${API}/issue/SCR-1`).reply(429, '{}', { 'retry-after': '3', 'ratelimit-reason': 'jira-burst-based' })
      .put(`${API}/issue/SCR-1`).reply(answer(world.clock, 204));
    const strict = axios.create({ baseURL: JIRA, adapter: observedAdapter('jira', world.metrics, { gate: world.gate, clock: world.clock }) });
    const response = await withRetry('jira', () => strict.put(`${API}/issue/SCR-1`, {}), { clock: world.clock, retries: 3, gated: true });
    expect(Number(response.headers['x-answered-at']) - START.getTime()).toBe(3_000);
    // One wait, the hold's own: the retry neither sleeps it twice nor adds a backoff or a pacing gap.
    expect(world.clock.sleeps).toEqual([3_000]);
    scope.done();
  });

  it('X-RateLimit-NearLimit paces its scope before a 429 comes, and leaves other endpoints alone', async () => {
    const world = rig();
    const near = { 'x-ratelimit-nearlimit': 'true', 'ratelimit-reason': 'jira-burst-based' };
    // Five PUTs a tenth of a second apart, the last one answered "near the limit".
    for (let i = 1; i <= 5; i++) {
      nock(JIRA).put(`${API}/issue/SCR-${i}`).reply(answer(world.clock, 204, i === 5 ? near : {}));
      await world.send('PUT', `${API}/issue/SCR-${i}`);
      world.clock.advance(100);
    }
    expect(world.clock.sleeps).toEqual([]);
    const rate = world.gate.pacedRate({ kind: 'endpoint', endpoint: `PUT ${API}/issue/{key}` });
    // Measured at 10 a second, cut by a fifth.
    expect(rate).toBeCloseTo(8, 5);

    nock(JIRA).post(`${API}/search/jql`).times(3).reply(answer(world.clock, 200));
    for (let i = 0; i < 3; i++) await world.send('POST', `${API}/search/jql`);
    expect(world.clock.sleeps).toEqual([]);

    nock(JIRA).put(/\/issue\/SCR-\d+$/).times(3).reply(answer(world.clock, 204));
    const sent = [];
    for (let i = 6; i <= 8; i++) sent.push((await world.send('PUT', `${API}/issue/SCR-${i}`)).at);
    // Spaced at the paced rate (at most 8 a second), not sent back to back.
    expect(sent[1]! - sent[0]!).toBeGreaterThanOrEqual(120);
    expect(sent[2]! - sent[1]!).toBeGreaterThanOrEqual(120);
    expect(world.clock.sleeps.length).toBeGreaterThanOrEqual(2);
  });

  it('an Airflow 429 holds every request to that instance and none to another', async () => {
    const clock = fakeClock(START, { sleepAdvances: true });
    const { log } = captureLog();
    const clientFor = (baseUrl: string): ReturnType<typeof createAirflowClient> => {
      const base = testConfig({ retries: 0 });
      return createAirflowClient({ config: { ...base, airflow: { ...base.airflow, baseUrl } }, clock, log });
    };
    const east = clientFor('https://east.airflow.example.com');
    const west = clientFor('https://west.airflow.example.com');
    const anything = z.unknown();
    nock('https://east.airflow.example.com').get('/api/v1/dags/a').reply(429, {}, { 'retry-after': '4' });
    await expect(east.send({ method: 'GET', path: '/dags/a' }, anything)).rejects.toThrow(/429/);

    nock('https://west.airflow.example.com').get('/api/v1/dags/b').reply(200, {});
    await west.send({ method: 'GET', path: '/dags/b' }, anything);
    expect(clock.sleeps).toEqual([]);

    nock('https://east.airflow.example.com').get('/api/v1/dags/c').reply(200, {});
    await east.send({ method: 'GET', path: '/dags/c' }, anything);
    expect(clock.sleeps).toEqual([4_000]);
  });
});
