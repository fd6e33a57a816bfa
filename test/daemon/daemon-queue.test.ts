import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { runDaemon } from '../../src/daemon/daemon.js';
import { UpstreamError } from '../../src/http/errors.js';
import { RateGate, type HoldScope } from '../../src/http/rate-gate.js';
import { withRetry } from '../../src/http/retry.js';
import { textSink } from '../support/log-capture.js';
import { manualClock, settle, type ManualClock } from '../support/manual-clock.js';
import { COMPLETED, FakeAirflow, FakeJira, START, testConfig, ticket } from '../reconcile/fakes.js';

const INTERVAL_MS = 30_000;

/** The daemon in this process on the fakes, its every wait on a clock the test moves. */
interface World {
  clock: ManualClock;
  jira: FakeJira;
  airflow: FakeAirflow;
  app: App;
  /** The passes that ended, in order: when each started, and the tickets it set aside. */
  passes(): Array<{ startedAt: string; setAside: string[] }>;
  /** Waits (a bounded number of turns) until `count` passes have ended. */
  untilPasses(count: number): Promise<void>;
  /** Waits (a bounded number of turns) until `probe` holds. */
  until(what: string, probe: () => boolean): Promise<void>;
  /** Ends every queued run with success, as Airflow would between two passes. */
  endRuns(): void;
  stop(): Promise<number>;
}

let cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

async function startWorld(wire: (app: App, clock: ManualClock, jira: FakeJira) => void = () => undefined): Promise<World> {
  const dir = mkdtempSync(join(tmpdir(), 'daemon-queue-'));
  const clock = manualClock(START);
  const jira = new FakeJira(clock);
  const airflow = new FakeAirflow(clock);
  const config = testConfig({ db: join(dir, 'r.db'), file: { schedule: { intervalSeconds: INTERVAL_MS / 1000 }, metrics: { port: 0 } } });
  const out = textSink();
  const err = textSink();
  const app = await createApp({ ...config, logLevel: 'info' }, { env: {}, stdout: out.stream, stderr: err.stream, clock, jira, airflow }, { command: 'daemon', logTo: 'stdout' });
  wire(app, clock, jira);
  const signals = new EventEmitter();
  const exited = runDaemon(app, { clock, signals });
  let stopped = false;
  const stop = async (): Promise<number> => {
    if (!stopped) signals.emit('SIGTERM');
    stopped = true;
    return exited;
  };
  cleanups.push(async () => {
    await stop();
    rmSync(dir, { recursive: true, force: true });
  });
  const records = (): Array<Record<string, unknown>> =>
    out
      .text()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  const passes = (): Array<{ startedAt: string; setAside: string[] }> =>
    records()
      .filter((r) => r.msg === 'Pass completed' || r.msg === 'Pass failed')
      .map((r) => ({ startedAt: String(r.pass), setAside: ((r.setAside as Array<{ issue: string }> | undefined) ?? []).map((item) => item.issue) }));
  return {
    clock,
    jira,
    airflow,
    app,
    passes,
    async untilPasses(count) {
      for (let look = 0; look < 200 && passes().length < count; look++) await settle();
      if (passes().length < count) throw new Error(`only ${passes().length} passes ended, ${count} expected:\n${out.text().slice(-3000)}`);
    },
    async until(what, probe) {
      for (let look = 0; look < 200 && !probe(); look++) await settle();
      if (!probe()) throw new Error(`gave up waiting for ${what}:\n${out.text().slice(-3000)}`);
    },
    endRuns() {
      for (const { run } of airflow.runs.values()) if (run.state === 'queued') airflow.move(run.dagRunId, 'success');
    },
    stop,
  };
}

/** Every Jira write through the real retry, its backoffs on the daemon's clock and dropped by its stop. */
function retriedWrites(app: App, clock: ManualClock, jira: FakeJira): void {
  const options = { clock, retries: app.config.http.retries, ...(app.pass.stop ? { signal: app.pass.stop } : {}) };
  const updateFields = jira.updateFields.bind(jira);
  const transitionTo = jira.transitionTo.bind(jira);
  const addComment = jira.addComment.bind(jira);
  jira.updateFields = (key, fields, opts) => withRetry('jira', () => updateFields(key, fields, opts), options);
  jira.transitionTo = (key, status, opts) => withRetry('jira', () => transitionTo(key, status, opts), options);
  jira.addComment = (key, comment) => withRetry('jira', () => addComment(key, comment), options);
}

/** Jira's field edits through a rate gate on the daemon's clock; returns the gate, for the test to hold a scope. */
function gatedEdits(app: App, clock: ManualClock, jira: FakeJira): RateGate {
  const gate = new RateGate({ clock, concurrency: app.config.http.concurrency, ...(app.pass.stop ? { signal: app.pass.stop } : {}) });
  const updateFields = jira.updateFields.bind(jira);
  jira.updateFields = async (key, fields, options) => {
    const release = await gate.admit({ endpoint: 'PUT /rest/api/3/issue/{key}', issue: key, write: true });
    try {
      return await updateFields(key, fields, options);
    } finally {
      release();
    }
  };
  return gate;
}

interface Outcome {
  /** The pass (1-based) after which every healthy ticket and the late request were Completed. */
  finishedInPass: number;
  /** The pass in which the request made after pass 1 got its DAG run. */
  lateTriggeredInPass: number;
  passes: Array<{ startedAt: string; setAside: string[] }>;
  searches: number;
}

/**
 * Five healthy tickets, a request made after the first pass, and optionally SCR-99, every write to which
 * Jira refuses with a 503 for the whole test. Airflow ends each run before the next pass.
 */
async function refusedWorld(refused: boolean): Promise<Outcome> {
  let world: World | null = null;
  world = await startWorld((app, clock, jira) => {
    retriedWrites(app, clock, jira);
    const healthy = ['SCR-1', 'SCR-2', 'SCR-3', 'SCR-4', 'SCR-5'].map((key) => ticket(key));
    jira.add(...healthy, ...(refused ? [ticket('SCR-99')] : []));
    if (refused) jira.failWrite = (_operation, key) => (key === 'SCR-99' ? new UpstreamError('jira', 'transient', 'jira answered HTTP 503', { status: 503 }) : undefined);
  });
  const keys = ['SCR-1', 'SCR-2', 'SCR-3', 'SCR-4', 'SCR-5', 'SCR-6'];
  let lateTriggeredInPass = 0;
  for (let pass = 1; pass <= 10; pass++) {
    await world.untilPasses(pass);
    if (lateTriggeredInPass === 0 && world.airflow.triggers.some((t) => t.conf.jira_issue_key === 'SCR-6')) lateTriggeredInPass = pass;
    if (keys.every((key) => world.jira.tickets.has(key) && world.jira.ticket(key).status === COMPLETED)) {
      return { finishedInPass: pass, lateTriggeredInPass, passes: world.passes(), searches: world.jira.searches.length };
    }
    if (pass === 1) world.jira.add(ticket('SCR-6'));
    world.endRuns();
    world.clock.advance(INTERVAL_MS);
  }
  throw new Error('the healthy tickets did not finish in 10 passes');
}

function startsEvery(passes: ReadonlyArray<{ startedAt: string }>, intervalMs: number): boolean {
  return passes.every((pass, n) => Date.parse(pass.startedAt) === START.getTime() + n * intervalMs);
}

describe('the daemon with its work queue (counts of passes, on a clock the test moves)', () => {
  it('one ticket whose writes Jira refuses does not slow the others; a new request is triggered in its first pass; the feed is polled every interval', async () => {
    const clean = await refusedWorld(false);
    const faulty = await refusedWorld(true);

    expect(faulty.finishedInPass).toBe(clean.finishedInPass);
    expect(clean.lateTriggeredInPass).toBe(2);
    expect(faulty.lateTriggeredInPass).toBe(2);
    // One feed poll per pass, each at its interval, while SCR-99's worker waits out its backoffs.
    expect(startsEvery(faulty.passes, INTERVAL_MS)).toBe(true);
    expect(faulty.searches).toBe(faulty.passes.length);
    expect(faulty.passes[0]?.setAside).toEqual(['SCR-99']);
  });

  it('a ticket held by its issue scope is sent when the hold ends, between two passes, and the passes meanwhile leave it to its worker', async () => {
    let gate: RateGate | null = null;
    const world = await startWorld((app, clock, jira) => {
      gate = gatedEdits(app, clock, jira);
      jira.add(ticket('SCR-1'), ticket('SCR-2'));
      // Jira said SCR-1's writes are over their limit for 45 s: past the next pass, before the one after.
      const scope: HoldScope = { kind: 'issue', issue: 'SCR-1' };
      gate.hold(scope, START.getTime() + 45_000);
    });
    const written = (): string[] => world.jira.fieldWrites.map((write) => write.key).filter((key) => key === 'SCR-1');
    await world.untilPasses(1);
    expect(world.passes()[0]?.setAside).toEqual(['SCR-1']);
    expect(world.jira.fieldWrites.map((write) => write.key)).toEqual(['SCR-2']);
    // A pass that set a ticket aside keeps the cursor: were the process to die now, the next start finds SCR-1 again.
    expect((await world.app.store.getCursor()).updatedSince).toBeNull();

    world.clock.advance(INTERVAL_MS);
    await world.untilPasses(2);
    // Found again by the feed, left to its worker: not triggered twice.
    expect(world.passes()[1]?.setAside).toEqual(['SCR-1']);
    expect(written()).toEqual([]);

    world.clock.advance(14_999);
    await settle();
    expect(written()).toEqual([]);
    world.clock.advance(1);
    for (let look = 0; look < 50 && written().length === 0; look++) await settle();
    expect(written()).toEqual(['SCR-1']);
    expect(world.passes()).toHaveLength(2);
    expect(world.airflow.triggers.filter((t) => t.conf.jira_issue_key === 'SCR-1')).toHaveLength(1);
    expect((await world.app.store.getCursor()).updatedSince).toBeNull();

    // The next pass finds nothing in hand and sets nothing aside: the cursor moves to its start.
    world.clock.advance(INTERVAL_MS - 15_000);
    await world.untilPasses(3);
    expect(world.passes()[2]?.setAside).toEqual([]);
    expect((await world.app.store.getCursor()).updatedSince?.toISOString()).toBe(world.passes()[2]?.startedAt);
    expect(await world.stop()).toBe(0);
  });

  it('a hold of the whole upstream does not hold the feed: each pass ends by its next poll, the tickets are worked once the hold ends', async () => {
    const world = await startWorld((app, clock, jira) => {
      const gate = gatedEdits(app, clock, jira);
      jira.add(ticket('SCR-1'), ticket('SCR-2'));
      gate.hold({ kind: 'tenant' }, START.getTime() + 100_000);
    });
    await world.until('both tickets to wait on the hold', () => world.airflow.triggers.length === 2);
    for (let pass = 1; pass <= 3; pass++) {
      // Each pass waits for its tickets until a second before its next poll at most, then leaves them to their workers.
      world.clock.advance(INTERVAL_MS - 1_000);
      await world.untilPasses(pass);
      expect(world.passes()[pass - 1]?.setAside.sort()).toEqual(['SCR-1', 'SCR-2']);
      world.clock.advance(1_000);
      await world.until(`pass ${pass + 1} to poll the feed`, () => world.jira.searches.length === pass + 1);
    }
    await world.untilPasses(4);
    expect(startsEvery(world.passes(), INTERVAL_MS)).toBe(true);
    expect(world.jira.searches).toHaveLength(4);
    expect(world.jira.fieldWrites).toEqual([]);

    world.clock.advance(100_000 - 3 * INTERVAL_MS);
    for (let look = 0; look < 50 && world.jira.fieldWrites.length < 2; look++) await settle();
    expect(world.jira.fieldWrites.map((write) => write.key).sort()).toEqual(['SCR-1', 'SCR-2']);
    expect(world.airflow.triggers).toHaveLength(2);
    expect(await world.stop()).toBe(0);
  });

  it('SIGTERM drops the set-aside workers\' waits: the daemon exits 0 without the clock moving', async () => {
    const world = await startWorld((app, clock, jira) => {
      const gate = gatedEdits(app, clock, jira);
      jira.add(ticket('SCR-1'));
      gate.hold({ kind: 'issue', issue: 'SCR-1' }, START.getTime() + 3_600_000);
    });
    await world.untilPasses(1);
    expect(world.passes()[0]?.setAside).toEqual(['SCR-1']);
    expect(await world.stop()).toBe(0);
    expect(world.jira.fieldWrites).toEqual([]);
  });
});
