import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FaultInjector } from '../../../src/sandbox/common/faults.js';
import { Router, startSimServer, type SimServer } from '../../../src/sandbox/common/http.js';
import { RequestLog } from '../../../src/sandbox/common/request-log.js';

describe('startSimServer', () => {
  let server: SimServer;
  let faults: FaultInjector;
  let log: RequestLog;

  beforeEach(async () => {
    const router = new Router()
      .add('GET', '/items/:id', (req) => ({ status: 200, body: { id: req.params.id, q: req.query.get('q') } }))
      .add('POST', '/items/:id', (req) => ({ status: 201, body: { echoed: req.body } }))
      .add('GET', '/secret', () => ({ status: 200, body: 'text' }))
      .add('GET', '/boom', () => {
        throw new Error('kaput');
      });
    faults = new FaultInjector();
    log = new RequestLog();
    server = await startSimServer({
      router,
      faults,
      log,
      authenticate: (req) => (req.path === '/secret' && req.headers.authorization !== 'yes' ? { status: 401, body: { denied: true } } : null),
    });
  });
  afterEach(async () => {
    await server.close();
  });

  it('routes with URI-decoded params and the query', async () => {
    const res = await fetch(`${server.url}/items/a%20b?q=1`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ id: 'a b', q: '1' });
    expect(log.counters()).toEqual({ 'GET /items/:id': 1 });
  });

  it('parses a JSON body and logs the exchange', async () => {
    const res = await fetch(`${server.url}/items/1`, { method: 'POST', body: JSON.stringify({ a: 1 }), headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ echoed: { a: 1 } });
    const [entry] = log.entries;
    expect(entry).toMatchObject({ method: 'POST', path: '/items/1', requestBody: { a: 1 }, status: 201, route: '/items/:id' });
    expect(log.count('POST', '/items/:id')).toBe(1);
    expect(log.count('POST', '/items/')).toBe(1);
    expect(log.count('GET')).toBe(0);
  });

  it('answers 400 to a body that is not JSON on a JSON request', async () => {
    const res = await fetch(`${server.url}/items/1`, { method: 'POST', body: '{nope', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(400);
  });

  it('answers 404 JSON to an unknown route, 405 to a known path with another method', async () => {
    const missing = await fetch(`${server.url}/nowhere`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/json/);
    expect((await fetch(`${server.url}/items/1`, { method: 'DELETE' })).status).toBe(405);
  });

  it('turns a handler exception into a 500', async () => {
    const res = await fetch(`${server.url}/boom`);
    expect(res.status).toBe(500);
    expect(JSON.stringify(await res.json())).toContain('kaput');
  });

  it('checks credentials before the body: 401 wins over bad JSON', async () => {
    const res = await fetch(`${server.url}/secret`, { method: 'GET', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(401);
    const post = await fetch(`${server.url}/secret`, { method: 'POST', body: '{nope', headers: { 'content-type': 'application/json' } });
    expect(post.status).toBe(401);
  });

  it('rejects through authenticate', async () => {
    expect((await fetch(`${server.url}/secret`)).status).toBe(401);
    const ok = await fetch(`${server.url}/secret`, { headers: { authorization: 'yes' } });
    expect(await ok.text()).toBe('text');
  });

  it('injects a status fault with Retry-After, a limited number of times, on a matching path', async () => {
    faults.inject({ fault: { kind: 'status', status: 429, retryAfter: '7' }, method: 'GET', path: '/items', times: 2 });
    const first = await fetch(`${server.url}/items/1`);
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('7');
    expect((await fetch(`${server.url}/secret`, { headers: { authorization: 'yes' } })).status).toBe(200);
    expect((await fetch(`${server.url}/items/1`)).status).toBe(429);
    expect((await fetch(`${server.url}/items/1`)).status).toBe(200);
    expect(faults.pending()).toEqual([]);
  });

  it('matches a fault path by RegExp and serves a custom body', async () => {
    faults.inject({ fault: { kind: 'status', status: 503, body: { down: true } }, path: /^\/items\/\d+$/ });
    expect((await fetch(`${server.url}/items/x`)).status).toBe(200);
    const res = await fetch(`${server.url}/items/2`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ down: true });
  });

  it('resets the connection without an answer', async () => {
    faults.inject({ fault: { kind: 'reset' }, times: 1 });
    await expect(fetch(`${server.url}/items/1`)).rejects.toThrow();
    expect(log.entries[0]?.status).toBe(0);
    expect((await fetch(`${server.url}/items/1`)).status).toBe(200);
  });

  it('serves a malformed 200', async () => {
    faults.inject({ fault: { kind: 'malformed' }, times: 1 });
    const res = await fetch(`${server.url}/items/1`);
    expect(res.status).toBe(200);
    await expect(res.json()).rejects.toThrow();
  });

  it('delays a latency fault without blocking other requests', async () => {
    faults.inject({ fault: { kind: 'latency', ms: 300 }, path: '/items/slow', times: 1 });
    const order: string[] = [];
    const slow = fetch(`${server.url}/items/slow`).then((res) => order.push(`slow ${res.status}`));
    await fetch(`${server.url}/items/fast`).then((res) => order.push(`fast ${res.status}`));
    await slow;
    expect(order).toEqual(['fast 200', 'slow 200']);
  });

  it('refuses connections while paused and serves again on the same port after resume', async () => {
    await server.pause();
    await expect(fetch(`${server.url}/items/1`)).rejects.toThrow();
    await server.resume();
    expect((await fetch(`${server.url}/items/1`)).status).toBe(200);
  });
});
