import { afterEach, describe, expect, it } from 'vitest';
import { startHealthServer, type HealthServer } from '../../src/daemon/health-server.js';
import { leadershipReadiness } from '../../src/daemon/readiness.js';
import type { LeadershipStatus } from '../../src/lease/leadership.js';
import { Metrics } from '../../src/observability/metrics.js';

describe('health server', () => {
  let server: HealthServer | null = null;
  afterEach(async () => {
    await server?.close();
    server = null;
  });

  async function start(ready: boolean): Promise<HealthServer> {
    const metrics = new Metrics();
    metrics.passes.inc({ result: 'success' });
    server = await startHealthServer({
      host: '127.0.0.1',
      port: 0,
      registry: metrics.registry,
      readiness: () => ({ ready, detail: { lastSuccess: null } }),
    });
    return server;
  }

  it('serves the metrics in Prometheus text format', async () => {
    const { url } = await start(true);
    const res = await fetch(`${url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    expect(await res.text()).toContain('reconciler_passes_total{result="success"} 1');
  });

  it('answers /healthz with 200 and /readyz by readiness', async () => {
    const { url } = await start(false);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ ready: false });
  });

  it('says what to do when the port is taken', async () => {
    const first = await start(true);
    const port = Number(new URL(first.url).port);
    await expect(
      startHealthServer({ host: '127.0.0.1', port, registry: new Metrics().registry, readiness: () => ({ ready: true, detail: {} }) }),
    ).rejects.toThrow(`cannot serve metrics on 127.0.0.1:${port} (EADDRINUSE): set METRICS_HOST / METRICS_PORT`);
  });

  it('serves nothing else and changes nothing', async () => {
    const { url } = await start(true);
    expect((await fetch(`${url}/`)).status).toBe(404);
    expect((await fetch(`${url}/metrics`, { method: 'POST' })).status).toBe(405);
    expect((await fetch(`${url}/readyz`, { method: 'DELETE' })).status).toBe(405);
  });

  it('answers /readyz with the role and the leader of a replica, and 503 while its database does not answer', async () => {
    const status: LeadershipStatus = {
      role: 'standby',
      leader: {
        epoch: 3,
        holder: 'host-a:4242:0badcafe',
        hostname: 'host-a',
        pid: 4242,
        command: 'daemon',
        acquiredAt: new Date('2026-11-28T09:00:00Z'),
        renewedAt: new Date('2026-11-28T09:59:55Z'),
        expiresAt: new Date('2026-11-28T10:00:10Z'),
        live: true,
      },
      databaseDown: false,
      databaseDownSince: null,
    };
    server = await startHealthServer({
      host: '127.0.0.1',
      port: 0,
      registry: new Metrics().registry,
      readiness: () => leadershipReadiness(status, false),
    });
    const standing = await fetch(`${server.url}/readyz`);
    expect(standing.status).toBe(200);
    expect(await standing.json()).toEqual({
      ready: true,
      role: 'standby',
      leader: { host: 'host-a', pid: 4242, since: '2026-11-28T09:00:00.000Z', epoch: 3 },
      databaseDown: false,
    });
    Object.assign(status, { leader: null, databaseDown: true, databaseDownSince: new Date('2026-11-28T10:00:00Z') });
    const down = await fetch(`${server.url}/readyz`);
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ ready: false, role: 'standby', databaseDown: true, databaseDownSince: '2026-11-28T10:00:00.000Z' });
  });
});
