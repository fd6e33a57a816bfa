import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAirflowSim, type AirflowSim } from '../../src/sandbox/airflow/index.js';
import { startJiraSim, type JiraSim } from '../../src/sandbox/jira/server.js';
import { simEnv } from '../../src/sandbox/sim-env.js';
import { ReplicaRig } from '../failover/replicas.js';
import { createTestDatabase, type TestDatabase } from '../support/pg.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';
import { ensureBuilt } from './cli.js';
import { COMPLETED, readyTicket } from './tickets.js';

/** CONTRACT §7 / issue 19 item 4: a database outage pauses the work and the daemon resumes when it is back. */
describe('the daemon on PostgreSQL through a database outage', () => {
  let jira: JiraSim;
  let airflow: AirflowSim;
  let database: TestDatabase;
  let proxy: TcpProxy;
  let dir: string;
  let daemon: ReplicaRig;

  beforeAll(async () => {
    await ensureBuilt();
    database = await createTestDatabase();
    const real = new URL(database.url);
    proxy = await startTcpProxy({ host: real.hostname, port: Number(real.port) }, { startDown: true });
    const throughProxy = new URL(database.url);
    throughProxy.port = String(proxy.port);
    jira = await startJiraSim();
    airflow = await startAirflowSim({ timing: { queuedMs: 0, runningMs: 0 } });
    dir = mkdtempSync(join(tmpdir(), 'database-outage-'));
    writeFileSync(join(dir, 'config.yaml'), 'ha:\n  leaseSeconds: 3\n');
    daemon = new ReplicaRig(
      'daemon',
      simEnv(jira.url, airflow.url, {
        RECONCILER_CONFIG: join(dir, 'config.yaml'),
        RECONCILER_DATABASE_URL: throughProxy.toString(),
        RECONCILE_INTERVAL_SECONDS: '1',
        METRICS_PORT: '0',
        LOG_LEVEL: 'info',
      }),
    );
  }, 120_000);

  afterAll(async () => {
    await daemon?.kill();
    await proxy?.close();
    await Promise.all([jira?.close(), airflow?.close()]);
    await database?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  // Generous: beside the whole suite on two cores, a child process can go quiet for many seconds.
  async function until(what: string, probe: () => boolean | Promise<boolean>, looks = 600): Promise<void> {
    for (let look = 0; look < looks; look++) {
      if (await probe()) return;
      airflow.tick();
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`gave up waiting for ${what} (running ${daemon.running}):\n${daemon.linesAbout('"level"', 15).join('\n')}\nstderr: ${daemon.stderr().slice(-3000)}`);
  }

  async function readyz(): Promise<{ status: number; body: Record<string, unknown> }> {
    const metrics = daemon.records('Daemon started').at(-1)?.metrics as string;
    const response = await fetch(new URL('/readyz', metrics));
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  it('waits for a database that is down at start, pauses while it is gone, and resumes when it is back', async () => {
    // Down at start: the daemon waits (one line), it does not exit into a restart loop.
    const starting = daemon.start();
    await until('the waiting line', () => daemon.records('The state database does not answer; waiting for it (nothing is done meanwhile)').length === 1);
    expect(daemon.running).toBe(true);
    await proxy.up();
    await starting;
    expect(daemon.records('The state database answers again; starting')).toHaveLength(1);

    const first = readyTicket(jira);
    await until('the first ticket completed', () => jira.issue(first).status === COMPLETED);
    await until('ready as leader', async () => (await readyz()).status === 200);

    // Gone while it leads: not ready, one line, no upstream write, no exit.
    await proxy.down();
    await until('the outage line', () => daemon.records('The database does not answer: no work and no upstream write until it does').length > 0);
    await until('readyz 503', async () => (await readyz()).status === 503);
    // Its lease may still hold a moment; once it runs low the leader steps down and sends nothing more.
    await until('the step-down', () => daemon.records('Stepped down: this process no longer leads').length > 0);
    const second = readyTicket(jira);
    const writesBefore = jira.log.entries.filter((e) => e.method !== 'GET').length;
    for (let look = 0; look < 30; look++) {
      airflow.tick();
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(jira.log.entries.filter((e) => e.method !== 'GET').length).toBe(writesBefore);
    expect(daemon.running).toBe(true);
    expect(daemon.records('The database does not answer: no work and no upstream write until it does')).toHaveLength(1);

    // Back: one line, it leads again and finishes the ticket that came meanwhile.
    await proxy.up();
    await until('the second ticket completed', () => jira.issue(second).status === COMPLETED);
    expect(daemon.records('The database answers again')).toHaveLength(1);
    await until('ready again', async () => (await readyz()).status === 200);
    expect(await daemon.stop()).toBe(0);
  }, 300_000);
});
