import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FaultInjector } from '../../../src/sandbox/common/faults.js';
import { Router, startSimServer, type SimServer } from '../../../src/sandbox/common/http.js';
import { RequestLog } from '../../../src/sandbox/common/request-log.js';

describe('fault plumbing of startSimServer', () => {
  let server: SimServer;
  let faults: FaultInjector;
  let log: RequestLog;
  let clock: number;
  let applied: string[];

  beforeEach(async () => {
    applied = [];
    clock = 1_000_000;
    const router = new Router()
      .add('GET', '/issue/:key', (req) => ({ status: 200, body: { key: req.params.key } }))
      .add('PUT', '/issue/:key', (req) => {
        applied.push(`PUT ${req.params.key}`);
        return { status: 204 };
      })
      .add('POST', '/runs', () => {
        applied.push('POST /runs');
        return { status: 200, body: { ok: true } };
      });
    faults = new FaultInjector({ now: () => clock });
    log = new RequestLog();
    server = await startSimServer({ router, faults, log });
  });
  afterEach(async () => {
    await server.close();
  });

  const put = (key: string): Promise<Response> => fetch(`${server.url}/issue/${key}`, { method: 'PUT', body: '{}', headers: { 'content-type': 'application/json' } });
  const postRun = (): Promise<Response> => fetch(`${server.url}/runs`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });

  it('logs the issue key, the arrival and answer times and no fault for a plain request', async () => {
    await fetch(`${server.url}/issue/SCR-4`);
    const [entry] = log.entries;
    expect(entry).toMatchObject({ issueKey: 'SCR-4', fault: null, status: 200 });
    expect(entry?.answeredAt).toBeGreaterThanOrEqual(entry?.at ?? Number.POSITIVE_INFINITY);
  });

  it('applies a lost-answer request, then leaves the client without an answer', async () => {
    faults.inject({ fault: { kind: 'lost' }, method: 'PUT', times: 1 });
    await expect(put('SCR-1')).rejects.toThrow();
    expect(applied).toEqual(['PUT SCR-1']);
    expect(log.entries[0]).toMatchObject({ status: 0, fault: 'lost' });
    expect((await put('SCR-1')).status).toBe(204);
  });

  it('logs a 429 hold: tenant-wide without a reason, per issue for jira-per-issue-on-write', async () => {
    faults.inject({ fault: { kind: 'status', status: 429, retryAfter: '1' }, times: 1 });
    faults.inject({ fault: { kind: 'status', status: 429, retryAfter: '2', headers: { 'RateLimit-Reason': 'jira-per-issue-on-write' } }, times: 1 });
    const tenant = await fetch(`${server.url}/issue/SCR-1`);
    const perIssue = await put('SCR-2');
    expect(perIssue.headers.get('ratelimit-reason')).toBe('jira-per-issue-on-write');
    expect(tenant.headers.get('retry-after')).toBe('1');
    const [first, second] = log.entries;
    expect(first).toMatchObject({ fault: 'status 429', limitScope: 'tenant' });
    expect((first?.retryAfterUntil ?? 0) - (first?.answeredAt ?? 0)).toBe(1000);
    expect(second).toMatchObject({ limitScope: 'issue', issueKey: 'SCR-2' });
    expect((second?.retryAfterUntil ?? 0) - (second?.answeredAt ?? 0)).toBe(2000);
    expect(applied).toEqual([]);
  });

  it('resets every request inside an outage window and serves again after it', async () => {
    faults.outage(2000);
    await expect(fetch(`${server.url}/issue/SCR-1`)).rejects.toThrow();
    await expect(put('SCR-1')).rejects.toThrow();
    clock += 2000;
    expect((await fetch(`${server.url}/issue/SCR-1`)).status).toBe(200);
    expect(log.faultCounts()).toEqual({ outage: 2 });
    expect(applied).toEqual([]);
  });

  it('draws chaos faults from the seeded profile and adds its latency to every request', async () => {
    faults.chaos({ seed: 9, latencyMs: 5, unavailable: { rate: 0.5 } });
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push((await fetch(`${server.url}/issue/SCR-1`)).status);
    expect(statuses.filter((status) => status === 503).length).toBeGreaterThan(3);
    expect(statuses.filter((status) => status === 200).length).toBeGreaterThan(3);
    expect(log.entries.every((entry) => (entry.answeredAt ?? 0) - entry.at >= 4)).toBe(true);
    faults.clear();
    expect((await fetch(`${server.url}/issue/SCR-1`)).status).toBe(200);
  });

  it('lets a rule override the chaos profile', async () => {
    faults.chaos({ seed: 1, unavailable: { rate: 1 } });
    faults.inject({ fault: { kind: 'status', status: 418 }, times: 1 });
    expect((await fetch(`${server.url}/issue/SCR-1`)).status).toBe(418);
    expect((await fetch(`${server.url}/issue/SCR-1`)).status).toBe(503);
  });

  it('fires an applied hook on the nth served request, holds it while the hook runs, then drops it', async () => {
    const seenByHook: string[] = [];
    const hook = faults.onRequest({
      match: { method: 'POST', route: '/runs' },
      nth: 2,
      stage: 'applied',
      run: (request) => {
        seenByHook.push(`${request.method} ${request.route} after ${applied.length} applied`);
      },
    });
    expect((await postRun()).status).toBe(200);
    expect(hook.fired()).toBe(false);
    await expect(postRun()).rejects.toThrow();
    expect(hook.fired()).toBe(true);
    expect(seenByHook).toEqual(['POST /runs after 2 applied']);
    expect(log.entries.at(-1)).toMatchObject({ status: 0, fault: 'hooked applied' });
    expect((await postRun()).status).toBe(200);
  });

  it('counts only requests that reach their handler: a faulted one does not fire the hook', async () => {
    faults.inject({ fault: { kind: 'status', status: 503 }, times: 1 });
    const hook = faults.onRequest({ match: { method: 'POST' }, stage: 'applied', run: () => undefined });
    expect((await postRun()).status).toBe(503);
    expect(hook.fired()).toBe(false);
    await expect(postRun()).rejects.toThrow();
    expect(hook.fired()).toBe(true);
    expect(applied).toEqual(['POST /runs']);
  });

  it('runs a before hook instead of the handler, and answers when told to', async () => {
    faults.onRequest({ match: { method: 'PUT' }, stage: 'before', run: () => undefined });
    await expect(put('SCR-1')).rejects.toThrow();
    expect(applied).toEqual([]);
    expect(log.entries.at(-1)).toMatchObject({ fault: 'hooked before', issueKey: 'SCR-1' });
    faults.onRequest({ match: { method: 'PUT' }, stage: 'applied', run: () => undefined, then: 'answer' });
    expect((await put('SCR-1')).status).toBe(204);
    expect(applied).toEqual(['PUT SCR-1']);
  });

  it('holds the request until an async hook is done', async () => {
    const order: string[] = [];
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    faults.onRequest({ match: { method: 'POST' }, stage: 'applied', then: 'answer', run: () => released });
    const held = postRun().then((res) => order.push(`held ${res.status}`));
    await expect.poll(() => applied.length).toBe(1);
    expect((await fetch(`${server.url}/issue/SCR-1`)).status).toBe(200);
    order.push('other 200');
    release();
    await held;
    expect(order).toEqual(['other 200', 'held 200']);
  });

  it('disarms a cancelled hook and refuses a bad nth', async () => {
    const hook = faults.onRequest({ match: { method: 'POST' }, stage: 'applied', run: () => undefined });
    hook.cancel();
    expect((await postRun()).status).toBe(200);
    expect(hook.fired()).toBe(false);
    expect(() => faults.onRequest({ match: {}, nth: 0, stage: 'before', run: () => undefined })).toThrow(/nth must be a whole number/);
  });
});

describe('RequestLog.onRecord', () => {
  it('tells a listener of each exchange until it unsubscribes', async () => {
    const log = new RequestLog();
    const seen: string[] = [];
    const server = await startSimServer({ router: new Router().add('GET', '/a', () => ({ status: 200 })), faults: new FaultInjector(), log });
    try {
      const stop = log.onRecord((exchange) => seen.push(`${exchange.method} ${exchange.path} ${exchange.status}`));
      await fetch(`${server.url}/a`);
      stop();
      await fetch(`${server.url}/a`);
      expect(seen).toEqual(['GET /a 200']);
      expect(log.entries).toHaveLength(2);
    } finally {
      await server.close();
    }
  });
});
