import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAirflowSim, type AirflowSim } from '../../src/sandbox/airflow/index.js';
import type { LoggedExchange } from '../../src/sandbox/common/request-log.js';
import { seededRandom } from '../../src/sandbox/common/prng.js';
import { startReceiver, type DemoReceiver, type ReceivedMessage } from '../../src/sandbox/demo/receiver.js';
import { startJiraSim, type JiraSim } from '../../src/sandbox/jira/server.js';
import { simEnv } from '../../src/sandbox/sim-env.js';
import { pollUntil } from '../fault/daemon-rig.js';
import { duplicateMarkers, FINAL_STATUSES, requestsOf, runsOf } from '../fault/invariants.js';
import { COMPLETED, FAILED, readyTicket } from '../integration/tickets.js';
import { ensureBuilt } from '../support/built-cli.js';
import { createTestDatabase, type TestDatabase } from '../support/pg.js';
import { LeaseWatch, pidOf, ReplicaRig, type Tenure } from './replicas.js';

const SEED = 20_261_207;
const REPLICAS = 3;
const TICKETS = 200;
const KILLS = 20;
const FREEZES = 5;
const CUTS = 5;
/** Short, so thirty failovers fit in minutes; the bound below scales with it. */
const LEASE_SECONDS = 3;
const INTERVAL_SECONDS = 1;
/** The issue's bound: from the leader's death to the next leader's first write, under lease + interval + 2 s. */
const FAILOVER_BOUND_MS = (LEASE_SECONDS + INTERVAL_SECONDS + 2) * 1_000;
/** Real time between looks (daemon-rig's POLL_MS); the Airflow sim's clock moves this far per look. */
const ADVANCE_PER_LOOK_MS = 500;
/** Looks allowed for one disruption's whole round: the next leader's first write and a little work. */
const ROUND_LOOKS = 300;
const SETTLE_LOOKS = 3_000;
const SHAPES = [
  { source: 'alfabeta', runType: 'FULL_REFRESH', environment: 'prod', params: {} },
  { source: 'quebec', runType: 'DELTA', environment: 'staging', params: { since: '2026-11-01' } },
  { source: 'lafa', runType: 'SINGLE_PRODUCT', environment: 'dev', params: { product_id: 'LF-77' } },
] as const;
/** Every FAIL_EVERY-th ticket's runs fail with an error the retry policy retries once: two runs, then Failed. */
const FAIL_EVERY = 5;

type Disruption = 'kill' | 'freeze' | 'cut';

interface Failover {
  disruption: Disruption;
  fromPid: number;
  /** When the disruption began (this host's clock). */
  at: number;
  toPid: number | null;
  ms: number | null;
}

/**
 * The reads sent as POST: Jira's searches (a JQL body), Airflow's batch list of DAG runs and its token
 * endpoint. A resumed process may still read; only writes are fenced.
 */
const READ_POSTS = [/^\/rest\/api\/3\/search(\/jql)?(\?|$)/, /\/dagRuns\/list(\?|$)/, /^\/auth\/token(\?|$)/];

function isWrite(entry: Pick<LoggedExchange, 'method' | 'path'>): boolean {
  if (entry.method === 'GET' || entry.method === 'HEAD') return false;
  return !(entry.method === 'POST' && READ_POSTS.some((read) => read.test(entry.path)));
}

/** How far a message may arrive after its sender's disruption began (the receiver's own lag under load). */
const ARRIVAL_LAG_MS = 1_000;
/** A first write this long after the lease was taken prints what the new leader logged meanwhile. */
const SLOW_FIRST_WRITE_MS = 1_000;
/** How long before the disruption a message may have arrived and still not be recorded (one round trip on a loaded machine). */
const RECORD_WINDOW_MS = 2_000;

/**
 * Slack webhooks take no idempotency key, so a message whose sender died after Slack accepted it and
 * before its `sent` record committed goes out again from the next leader (src/notify/drain.ts). Such a
 * repeat is a send cut short: the copy before it came from a process disrupted right then, and each
 * disruption cuts short one send at most (the drain sends one at a time). Any other repeat is a duplicate.
 */
function repeatedMessages(received: readonly ReceivedMessage[], failovers: readonly Failover[]): { cutShort: string[]; duplicateMessages: string[] } {
  const cutShort: string[] = [];
  const duplicateMessages: string[] = [];
  const used = new Set<Failover>();
  const texts = new Set(received.map((m) => m.text));
  for (const text of texts) {
    const copies = received.filter((m) => m.text === text);
    for (let i = 1; i < copies.length; i++) {
      const before = copies[i - 1] as ReceivedMessage;
      const again = copies[i] as ReceivedMessage;
      const sender = pidOf(before.userAgent);
      const cause = failovers.find(
        (f) => !used.has(f) && f.disruption !== 'cut' && f.fromPid === sender && before.at - ARRIVAL_LAG_MS <= f.at && f.at <= before.at + RECORD_WINDOW_MS && f.at < again.at,
      );
      const what = `${JSON.stringify(text.slice(0, 60))}: pid ${sender ?? '?'} at ${new Date(before.at).toISOString()}, again by pid ${pidOf(again.userAgent) ?? '?'} ${again.at - before.at} ms later`;
      if (cause) {
        used.add(cause);
        cutShort.push(`${what} (${cause.disruption} ${cause.at - before.at} ms after the first arrived)`);
      } else duplicateMessages.push(what);
    }
  }
  return { cutShort, duplicateMessages };
}

/** Writes sent by a process outside every span its lease was valid (database clock = this host's clock). */
function unfencedWrites(entries: ReadonlyArray<Pick<LoggedExchange, 'method' | 'path' | 'at' | 'userAgent'>>, tenures: readonly Tenure[]): string[] {
  return entries.filter(isWrite).flatMap((entry) => {
    const pid = pidOf(entry.userAgent);
    if (pid === null) return [`${entry.method} ${entry.path}: no pid in its User-Agent`];
    const held = tenures.some((t) => t.pid === pid && entry.at >= t.acquiredAt && entry.at <= t.expiresAt);
    return held ? [] : [`${entry.method} ${entry.path} by pid ${pid} at ${new Date(entry.at).toISOString()}`];
  });
}

describe('failover suite: three daemons on one PostgreSQL, the leader killed, frozen and cut off', () => {
  let jira: JiraSim;
  let airflow: AirflowSim;
  let slack: DemoReceiver;
  let database: TestDatabase;
  let watch: LeaseWatch;
  let dir: string;
  let replicas: ReplicaRig[] = [];
  let offset = 0;
  const tickets: string[] = [];
  const failing = new Set<string>();
  const random = seededRandom(SEED);

  function seed(count: number): void {
    for (let i = 0; i < count && tickets.length < TICKETS; i++) {
      const shape = SHAPES[tickets.length % SHAPES.length] ?? SHAPES[0];
      const key = readyTicket(jira, { ...shape, summary: `Failover request ${tickets.length + 1}` });
      if ((tickets.length + 1) % FAIL_EVERY === 0) {
        failing.add(key);
        airflow.plan({ confMatch: { jira_issue_key: key } }, { state: 'failed', result: { run_id: null, item_count: 0, error: 'HTTP 503 from the catalogue after 5 retries' } });
      }
      tickets.push(key);
    }
  }

  function drive(): void {
    offset += ADVANCE_PER_LOOK_MS;
    airflow.tick();
  }

  function writes(): LoggedExchange[] {
    return [...jira.log.entries, ...airflow.log.entries].filter(isWrite).sort((a, b) => a.at - b.at);
  }

  beforeAll(async () => {
    await ensureBuilt();
    database = await createTestDatabase();
    watch = new LeaseWatch(database.url);
    jira = await startJiraSim({ searchLagMs: 500 });
    airflow = await startAirflowSim({ apiVersion: 'v1', timing: { queuedMs: 1_000, runningMs: 2_000 }, now: () => Date.now() + offset });
    slack = await startReceiver(() => undefined);
    dir = mkdtempSync(join(tmpdir(), 'failover-suite-'));
    const config = join(dir, 'config.yaml');
    writeFileSync(
      config,
      `ha:\n  leaseSeconds: ${LEASE_SECONDS}\nretry:\n  attempts: 2\n  delaySeconds: 1\n  when: ["HTTP 503"]\nnotifications:\n  slack:\n    on: [success, failed, retry]\n`,
    );
    replicas = Array.from(
      { length: REPLICAS },
      (_, index) =>
        new ReplicaRig(
          `replica ${index + 1}`,
          simEnv(jira.url, airflow.url, {
            RECONCILER_CONFIG: config,
            RECONCILER_DATABASE_URL: database.url,
            RECONCILE_INTERVAL_SECONDS: String(INTERVAL_SECONDS),
            SLACK_WEBHOOK_URL: slack.url,
            METRICS_PORT: '0',
            LOG_LEVEL: 'info',
          }),
        ),
    );
  }, 180_000);

  afterAll(async () => {
    for (const replica of replicas) await replica.kill();
    await watch?.close();
    await Promise.all([jira?.close(), airflow?.close(), slack?.close()]);
    await database?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('ends every ticket once, with no write from a process whose lease had expired, and fails over in time', async () => {
    // Mild upstream faults, as a real day has.
    jira.faults.chaos({ seed: SEED, latencyMs: 10, unavailable: { rate: 0.02 } });
    airflow.faults.chaos({ seed: SEED + 1, latencyMs: 10, unavailable: { rate: 0.02 } });
    seed(20);
    for (const replica of replicas) await replica.start();

    const plan: Disruption[] = [...Array<Disruption>(KILLS).fill('kill'), ...Array<Disruption>(FREEZES).fill('freeze'), ...Array<Disruption>(CUTS).fill('cut')];
    for (let i = plan.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [plan[i], plan[j]] = [plan[j] as Disruption, plan[i] as Disruption];
    }
    // Each round seeds its tickets before the disruption and one after it; the budget lasts to the last
    // round, so every disruption finds a leader with work to do.
    const perRound = Math.floor((TICKETS - tickets.length - plan.length) / plan.length);
    const failovers: Failover[] = [];
    const problems: string[] = [];

    for (const disruption of plan) {
      seed(perRound);
      // A leader that is working: it has written since these tickets were seeded.
      const seededAt = Date.now();
      let leader: number | null = null;
      const found = await pollUntilAsync(ROUND_LOOKS, async () => {
        leader = await watch.leaderPid();
        return leader !== null && writes().some((w) => w.at >= seededAt && pidOf(w.userAgent) === leader);
      });
      if (!found || leader === null) {
        problems.push(`${disruption}: no working leader before it (${replicas.map((r) => `${r.name} pid ${r.pid() ?? 'down'}`).join(', ')})`);
        await restartTheDead();
        continue;
      }
      const fromPid: number = leader;
      const victim = replicas.find((r) => r.pid() === fromPid);
      if (!victim) {
        problems.push(`${disruption}: the leader pid ${fromPid} is none of the replicas`);
        continue;
      }
      const deathAt = Date.now();
      if (disruption === 'kill') await victim.kill();
      else if (disruption === 'freeze') victim.freeze();
      else await watch.cut(fromPid);
      seed(1);

      // The next write by a leader: another process after a kill or freeze; any (itself, reconnected) after a cut.
      let next: LoggedExchange | undefined;
      await pollUntilAsync(ROUND_LOOKS, () => {
        next = writes().find((w) => w.at > deathAt && (disruption === 'cut' || pidOf(w.userAgent) !== fromPid));
        return Promise.resolve(next !== undefined);
      });
      failovers.push({ disruption, fromPid, at: deathAt, toPid: pidOf(next?.userAgent), ms: next ? next.at - deathAt : null });

      if (disruption === 'freeze') {
        // Frozen past its lease, then resumed: it must send nothing more, and stand by.
        await pollUntil(Math.ceil((LEASE_SECONDS * 1_000 + 1_000) / 100), () => false, drive);
        victim.thaw();
      }
      await restartTheDead();
    }

    await restartTheDead();
    const settled = await pollUntil(
      SETTLE_LOOKS,
      () =>
        tickets.length >= TICKETS &&
        tickets.every((key) => FINAL_STATUSES.includes(jira.issue(key).status)) &&
        airflow.runs().every((run) => run.state === 'success' || run.state === 'failed'),
      drive,
    );
    // The last notifications go out within a pass or two of the last write-back.
    await pollUntil(50, () => false, drive);
    const stopCodes = [];
    for (const replica of replicas) stopCodes.push(await replica.stop());

    const tenures = await watch.history();
    // A Slack message is an upstream write too.
    const posts = slack.received.map((m) => ({ method: 'POST', path: '/services/demo (Slack)', at: m.at, ...(m.userAgent === undefined ? {} : { userAgent: m.userAgent }) }));
    const unfenced = unfencedWrites([...jira.log.entries, ...airflow.log.entries, ...posts], tenures);
    const duplicateRuns = tickets.flatMap((key) => {
      const expected = requestsOf(jira, key) * (failing.has(key) ? 2 : 1);
      const extra = runsOf(airflow, key).length - expected;
      return extra > 0 ? [`${key}: ${extra} extra`] : [];
    });
    const duplicateComments = tickets.flatMap((key) => duplicateMarkers(jira, key).map((marker) => `${key} ${marker}`));
    const { cutShort, duplicateMessages } = repeatedMessages(slack.received, failovers);
    const unfinished = tickets.filter((key) => !FINAL_STATUSES.includes(jira.issue(key).status));
    const wrong = tickets.filter((key) => FINAL_STATUSES.includes(jira.issue(key).status) && jira.issue(key).status !== (failing.has(key) ? FAILED : COMPLETED));
    const slow = failovers.filter((f) => f.ms === null || f.ms > FAILOVER_BOUND_MS);

    console.log(
      [
        `failover suite: ${tickets.length} tickets, ${airflow.runs().length} runs, ${slack.messages.length} Slack messages, ${tenures.length} leader epochs,`,
        `${failovers.length} disruptions (${KILLS} SIGKILL, ${FREEZES} SIGSTOP past the lease, ${CUTS} sessions cut), bound ${FAILOVER_BOUND_MS} ms:`,
        ...failovers.map((f, i) => {
          // Where the time went: until the next lease was granted, and from there to the first write.
          const led = tenures.find((t) => t.acquiredAt >= f.at && t.pid === f.toPid);
          const split = led && f.ms !== null ? ` (leads after ${led.acquiredAt - f.at} ms, writes ${f.at + f.ms - led.acquiredAt} ms later)` : '';
          const line = `  ${i + 1}. ${f.disruption} of pid ${f.fromPid}: next write by pid ${f.toPid ?? '-'} after ${f.ms === null ? 'never' : `${f.ms} ms`}${split}`;
          // A slow first write after the lease was taken: what the new leader was doing meanwhile.
          if (!led || f.ms === null || f.toPid === null || f.at + f.ms - led.acquiredAt < SLOW_FIRST_WRITE_MS) return line;
          const toPid = f.toPid;
          const wroteAt = f.at + f.ms;
          const told = replicas
            .flatMap((r) => r.recordsOf(toPid, led.acquiredAt - 100, wroteAt))
            .filter((record) => typeof record.level === 'number' && record.level >= 30)
            .slice(0, 12)
            .map((record) => `       +${Number(record.time) - led.acquiredAt} ms ${String(record.msg)}${record.err || record.error ? `: ${JSON.stringify(record.err ?? record.error).slice(0, 160)}` : ''}`);
          return [line, ...told].join('\n  ');
        }),
        `${duplicateRuns.length} duplicate runs, ${duplicateComments.length} duplicate comments, ${duplicateMessages.length} duplicate notifications,`,
        `${cutShort.length} notifications sent again because their sender was killed or frozen between Slack's answer and its record of it (at-least-once):`,
        ...cutShort.map((line) => `  ${line}`),
        ...duplicateMessages.map((line) => `  duplicate: ${line}`),
        `${unfinished.length} unfinished, ${wrong.length} wrong outcomes, ${unfenced.length} writes outside their sender's lease, stop codes ${stopCodes.join(' ')}`,
      ].join('\n  '),
    );

    expect.soft(problems).toEqual([]);
    expect.soft(settled).toBe(true);
    expect.soft(duplicateRuns).toEqual([]);
    expect.soft(duplicateComments).toEqual([]);
    expect.soft(duplicateMessages).toEqual([]);
    expect.soft(unfinished).toEqual([]);
    expect.soft(wrong).toEqual([]);
    expect.soft(unfenced.slice(0, 10)).toEqual([]);
    expect.soft(slow).toEqual([]);
    expect.soft(stopCodes.every((code) => code === 0)).toBe(true);
  }, 1_500_000);

  async function restartTheDead(): Promise<void> {
    for (const replica of replicas) if (!replica.running) await replica.start();
  }

  async function pollUntilAsync(looks: number, probe: () => Promise<boolean>): Promise<boolean> {
    for (let look = 0; look < looks; look++) {
      if (await probe()) return true;
      drive();
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return probe();
  }
});
