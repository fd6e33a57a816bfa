import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAirflowSim, type AirflowSim } from '../../src/sandbox/airflow/index.js';
import { startJiraSim, type JiraSim } from '../../src/sandbox/jira/server.js';
import { simEnv } from '../../src/sandbox/sim-env.js';
import { LeaseWatch, pidOf, ReplicaRig } from '../failover/replicas.js';
import { createTestDatabase, type TestDatabase } from '../support/pg.js';
import { ensureBuilt, runCli } from './cli.js';
import { COMPLETED, readyTicket } from './tickets.js';

const LEASE_SECONDS = 3;

/** Two daemons on one PostgreSQL database, as two hosts would run them (CONTRACT §7, "Several hosts"). */
describe('several hosts on one PostgreSQL state database', () => {
  let jira: JiraSim;
  let airflow: AirflowSim;
  let database: TestDatabase;
  let watch: LeaseWatch;
  let dir: string;
  let env: Record<string, string>;
  let replicas: ReplicaRig[];

  beforeAll(async () => {
    await ensureBuilt();
    database = await createTestDatabase();
    watch = new LeaseWatch(database.url);
    jira = await startJiraSim();
    airflow = await startAirflowSim({ timing: { queuedMs: 0, runningMs: 0 } });
    dir = mkdtempSync(join(tmpdir(), 'several-hosts-'));
    writeFileSync(join(dir, 'config.yaml'), `ha:\n  leaseSeconds: ${LEASE_SECONDS}\n`);
    env = simEnv(jira.url, airflow.url, {
      RECONCILER_CONFIG: join(dir, 'config.yaml'),
      RECONCILER_DATABASE_URL: database.url,
      RECONCILE_INTERVAL_SECONDS: '1',
      METRICS_PORT: '0',
      LOG_LEVEL: 'info',
    });
    replicas = [new ReplicaRig('first', env), new ReplicaRig('second', env)];
  }, 120_000);

  afterAll(async () => {
    for (const replica of replicas ?? []) await replica.kill();
    await watch?.close();
    await Promise.all([jira?.close(), airflow?.close()]);
    await database?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, looks = 150): Promise<T> {
    for (let look = 0; look < looks; look++) {
      const value = await probe();
      if (value) return value;
      airflow.tick();
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`gave up waiting for ${what}`);
  }

  async function readyz(replica: ReplicaRig): Promise<{ status: number; body: Record<string, unknown> }> {
    const metrics = replica.records('Daemon started').at(-1)?.metrics as string;
    const response = await fetch(new URL('/readyz', metrics));
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  it('one leads and works the tickets, the other stands by; the standby takes over when the leader stops', async () => {
    for (const replica of replicas) await replica.start();
    const first = readyTicket(jira);
    const leaderPid = await until('a leader', () => watch.leaderPid());
    const leader = replicas.find((r) => r.pid() === leaderPid) as ReplicaRig;
    const standby = replicas.find((r) => r !== leader) as ReplicaRig;
    await until('the first ticket completed', () => Promise.resolve(jira.issue(first).status === COMPLETED));

    // Every write came from the leader: its pid is in each request's User-Agent.
    const writers = new Set([...jira.log.entries, ...airflow.log.entries].filter((e) => e.method !== 'GET').map((e) => pidOf(e.userAgent)));
    expect([...writers]).toEqual([leaderPid]);

    const leaderReady = await until('the leader ready', async () => {
      const answer = await readyz(leader);
      return answer.status === 200 ? answer : null;
    });
    expect(leaderReady.body).toMatchObject({ ready: true, role: 'leader', airflowDown: [] });
    const standbyReady = await readyz(standby);
    expect(standbyReady.status).toBe(200);
    expect(standbyReady.body).toMatchObject({ role: 'standby', leader: { pid: leaderPid }, airflowDown: [] });

    // SIGUSR1 to the standby is logged as ignored, naming the leader.
    process.kill(standby.pid() as number, 'SIGUSR1');
    await until('the standby to log SIGUSR1', () => Promise.resolve(standby.records(`SIGUSR1 ignored: this process stands by; the leader (pid ${leaderPid} on ${String(leaderReady.body.leader && (leaderReady.body.leader as { host: string }).host)}) runs the passes`).length > 0));

    // A one-shot reconcile while a daemon leads exits 1 naming it, as with SQLite's lock.
    const oneShot = await runCli(['reconcile'], env);
    expect(oneShot.code).toBe(1);
    expect(oneShot.stderr).toContain(`pid ${leaderPid}`);

    // runs and doctor work from any host.
    const runs = await runCli(['runs', '--json'], env);
    expect(runs.code).toBe(0);
    expect(runs.json<Array<{ jira_issue_key: string }>>().map((r) => r.jira_issue_key)).toContain(first);
    const doctor = await runCli(['doctor'], env);
    expect(doctor.stdout).toMatch(new RegExp(`leader.*pid ${leaderPid}`));

    // The leader stops gracefully: it gives the lease back, and the standby leads at once and works the next ticket.
    expect(await leader.stop()).toBe(0);
    const second = readyTicket(jira);
    const nextPid = await until('the standby to lead', () => watch.leaderPid());
    expect(nextPid).toBe(standby.pid());
    await until('the second ticket completed', () => Promise.resolve(jira.issue(second).status === COMPLETED));
    expect(standby.records('This process leads now')).toHaveLength(1);
    expect(await standby.stop()).toBe(0);
  }, 120_000);

  it('a one-shot reconcile that lasts longer than its lease renews it and finishes its writes', async () => {
    // 1.5 s a Jira request: the search, the read-back and the edit that follows the trigger come one after
    // another, so the edit leaves past the 3 s lease taken at the start; without renewals it is refused.
    jira.faults.chaos({ seed: 7, latencyMs: 1_500 });
    const keys = [readyTicket(jira), readyTicket(jira), readyTicket(jira)];
    const result = await runCli(['reconcile'], env);
    jira.faults.chaos({ seed: 7, latencyMs: 0 });
    expect(result.stderr).not.toMatch(/write not sent/);
    expect(result.code).toBe(0);
    for (const key of keys) expect(airflow.runs().filter((run) => run.conf.jira_issue_key === key)).toHaveLength(1);
  }, 120_000);
});
