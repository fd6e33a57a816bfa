import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PER_ISSUE_REASON } from '../../src/sandbox/common/chaos.js';
import { seededRandom } from '../../src/sandbox/common/prng.js';
import type { LoggedExchange } from '../../src/sandbox/common/request-log.js';
import { requestsInsideRetryAfter, type RetryAfterBreach } from '../../src/sandbox/common/retry-after-check.js';
import { COMPLETED, FAILED, FIELD } from '../integration/tickets.js';
import { ensureBuilt } from '../support/built-cli.js';
import { LookBudget, pollUntil } from './daemon-rig.js';
import { duplicateMarkers, feedGaps, feedPolls, fieldText, finalWriteGap, FINAL_STATUSES, requestsOf, runsOf } from './invariants.js';
import { startFaultWorld, type FaultWorld } from './world.js';

const SEED = 20_260_105;
const TICKETS = 30;
const RE_RUNS = 3;
const RANDOM_KILLS = 10;
/** A random kill lands on one of the next this many requests to the upstream it picked. */
const RANDOM_KILL_WITHIN = 10;
/** Looks (POLL_MS each) a kill may wait for its request before the suite says it was never sent. */
const KILL_WAIT_POLLS = 600;
/**
 * Looks all the kills may take together; kills left when it runs out count as not reached. Measured:
 * 1,600 to 2,250 on this 2-core machine, the most with CI running beside it.
 */
const KILL_PHASE_POLLS = 4_000;
/** Looks the last, kill-free phase may take to finish every ticket. */
const SETTLE_POLLS = 1_800;
/**
 * A request that reaches the simulator this soon after a 429 was sent may have left the daemon before
 * the 429 reached it (two sockets, one event loop): no client can honour an answer it has not read.
 * The window is both sockets' way through loopback and two loaded event loops: on this 2-core machine
 * with CI beside it, requests already past the gate were measured arriving 28 to 71 ms after a
 * tenant-wide 429 was answered (a CI run failed on one at 25 ms). A client that ignored the hold would
 * send for the whole Retry-After (1 s here), far past this.
 */
const RETRY_AFTER_GRACE_MS = 100;
/** The daemon's interval (world.ts): the change feed's polls are reported against the intervals elapsed. */
const INTERVAL_MS = 1_000;
/**
 * Liveness: at least one change-feed request (a Jira search or an Airflow run list reaching its simulator,
 * retries included) in every window of this many intervals of a daemon's life, outside the declared
 * outages. A pass ends by its next poll whatever its tickets wait for, so between two feed requests there
 * is only the feed's own wait: a tenant-wide Retry-After of 1 s (whoever's request drew it), or its own
 * backoff after a 503 or a lost answer (15% of requests here): 1 to 2 s, then 2 to 4, 4 to 8, and 8 to 16
 * s for a fourth failure in a row (about one feed request in 2,000), then the pass fails and the next one
 * starts at once. 16 s, a few 1 s holds and the second a pass takes: 20. The interval here (1 s) is
 * shorter than one backoff; at the default 30 s the same waits fit in one interval. Measured counting
 * the Ready searches alone: longest gaps 12.2 and 20.4 intervals in two runs; before the queue was wired
 * in, passes were held by the tickets they worked (the issue measured passes of 28 s and 47 s).
 */
const FEED_GAP_INTERVALS = 20;
/** How long a declared outage (2 s) is kept out of the liveness count, its backoffs after it included. */
const OUTAGE_SPAN_MS = 2_000 + 6_000;

interface Step {
  upstream: 'jira' | 'airflow';
  method: string;
  route: string;
}

/** The kinds of request the product sends to both upstreams, in the order a clean run first sends them. */
function stepsOf(jira: readonly LoggedExchange[], airflow: readonly LoggedExchange[]): Step[] {
  const tagged = [...jira.map((entry) => ({ upstream: 'jira' as const, entry })), ...airflow.map((entry) => ({ upstream: 'airflow' as const, entry }))];
  tagged.sort((a, b) => a.entry.at - b.entry.at);
  const seen = new Map<string, Step>();
  for (const { upstream, entry } of tagged) {
    if (entry.route === null) continue;
    const id = `${upstream} ${entry.method} ${entry.route}`;
    if (!seen.has(id)) seen.set(id, { upstream, method: entry.method, route: entry.route });
  }
  return [...seen.values()];
}

function label(step: Step): string {
  return `${step.upstream} ${step.method} ${step.route}`;
}

/** A clean run of five tickets (one planned to fail), to learn every request the product sends. */
async function cleanRunSteps(): Promise<Step[]> {
  const world = await startFaultWorld({ apiVersion: 'v1', searchLagMs: 0 });
  try {
    world.seed(5);
    await world.daemon.start();
    const done = await pollUntil(
      KILL_WAIT_POLLS,
      () => world.tickets.every((key) => FINAL_STATUSES.includes(world.jira.issue(key).status)),
      () => world.drive(),
    );
    if (!done) throw new Error(`the clean run did not finish its tickets:\n${world.daemon.stderr()}`);
    return stepsOf(world.jira.log.entries, world.airflow.log.entries);
  } finally {
    await world.close();
  }
}

/**
 * Breaches of a hold that the process which asked could have honoured: no kill between the throttled
 * request's arrival and the breaching one. A process killed while its request waited for the answer
 * never read the 429, and its successor cannot know of it.
 */
function politeBreaches(breaches: RetryAfterBreach[], killedAt: readonly number[]): { counted: RetryAfterBreach[]; acrossRestart: number } {
  const counted = breaches.filter((breach) => !killedAt.some((kill) => kill >= breach.heldBy.at && kill <= breach.request.at));
  return { counted, acrossRestart: breaches.length - counted.length };
}

describe('fault suite: the daemon under faults and SIGKILLs at every step boundary', () => {
  let world: FaultWorld;
  let steps: Step[] = [];
  const gaps: string[] = [];
  const notReached: string[] = [];
  /** Daemons that stopped without being killed: a crash of the product. */
  const selfExits: string[] = [];
  const random = seededRandom(SEED);
  const killLooks = new LookBudget(KILL_PHASE_POLLS);
  const settleLooks = new LookBudget(SETTLE_POLLS);

  beforeAll(async () => {
    await ensureBuilt();
    steps = await cleanRunSteps();
    world = await startFaultWorld({ apiVersion: 'v1', searchLagMs: 1_000 });
  }, 180_000);

  afterAll(async () => {
    await world?.close();
  });

  function daemonState(): string {
    if (killLooks.left === 0) return `the kill phase's ${KILL_PHASE_POLLS} looks were spent`;
    return `daemon ${world.daemon.running ? 'running' : 'stopped'}, ${world.daemon.passesEnded()} passes ended since its start`;
  }

  /** Arms a kill on the nth request of a kind that reaches its handler, and waits (bounded) for it. */
  async function killAt(step: Omit<Step, 'route' | 'method'> & { method?: string; route?: string }, nth: number, stage: 'before' | 'applied'): Promise<boolean> {
    const sim = step.upstream === 'jira' ? world.jira : world.airflow;
    const hook = sim.faults.onRequest({
      match: { ...(step.method ? { method: step.method } : {}), ...(step.route ? { route: step.route } : {}) },
      nth,
      stage,
      run: () => world.daemon.kill(),
    });
    if (!world.daemon.running) await world.daemon.start();
    let passes = world.daemon.passesEnded();
    const fired = await killLooks.until(KILL_WAIT_POLLS, () => !world.daemon.running, () => {
      world.drive();
      const ended = world.daemon.passesEnded();
      if (ended > passes) world.daemon.askForPass();
      passes = ended;
    });
    hook.cancel();
    if (fired && !hook.fired()) selfExits.push(`exit ${world.daemon.exitCode()}: ${world.daemon.stderr().slice(-500)}`);
    return fired && hook.fired();
  }

  it('ends every ticket once, politely, with its outcome comment before its final status', async () => {
    const { jira, airflow, daemon } = world;
    jira.log.onRecord((exchange) => {
      const gap = exchange.issueKey ? finalWriteGap(jira, exchange.issueKey) : null;
      if (gap && !gaps.includes(gap)) gaps.push(gap);
    });
    jira.faults.chaos({
      seed: SEED,
      latencyMs: 50,
      rateLimited: { rate: 0.3, retryAfter: '1', reasons: ['jira-burst-based', 'jira-quota-tenant-based', PER_ISSUE_REASON] },
      unavailable: { rate: 0.1 },
      lostAnswers: { rate: 0.05 },
    });
    airflow.faults.chaos({ seed: SEED + 1, latencyMs: 50, rateLimited: { rate: 0.3, retryAfter: '1' }, unavailable: { rate: 0.1 }, lostAnswers: { rate: 0.05 } });
    // Each kill gets a fresh ticket, so every step is still ahead of some ticket when its kill is armed.
    world.seed(Math.max(5, TICKETS - steps.length - RANDOM_KILLS));

    // A 2 s outage of each upstream while the first tickets are picked up.
    await daemon.start();
    const outages: Array<{ from: number; to: number }> = [];
    outages.push({ from: Date.now(), to: Date.now() + OUTAGE_SPAN_MS });
    jira.faults.outage(2_000);
    await killLooks.until(KILL_WAIT_POLLS, () => (jira.log.faultCounts().outage ?? 0) > 0, () => world.drive());
    outages.push({ from: Date.now(), to: Date.now() + OUTAGE_SPAN_MS });
    airflow.faults.outage(2_000);
    await killLooks.until(KILL_WAIT_POLLS, () => (airflow.log.faultCounts().outage ?? 0) > 0, () => world.drive());

    for (const step of steps) {
      world.seed(1);
      if (!(await killAt(step, 1, 'applied'))) notReached.push(`${label(step)} (${daemonState()})`);
    }

    const finished = world.tickets.filter((key) => jira.issue(key).status === COMPLETED).slice(0, RE_RUNS);
    for (const key of finished) jira.moveIssue(key, 'Ready to Run');

    for (let kill = 0; kill < RANDOM_KILLS; kill++) {
      world.seed(1);
      const upstream = random() < 0.7 ? 'jira' : 'airflow';
      const nth = 1 + Math.floor(random() * RANDOM_KILL_WITHIN);
      const stage = random() < 0.5 ? 'before' : 'applied';
      if (!(await killAt({ upstream }, nth, stage))) notReached.push(`random kill ${kill + 1}: ${upstream} request ${nth}, ${stage} (${daemonState()})`);
    }

    if (!daemon.running) await daemon.start();
    const settleFrom = Date.now();
    const settled = await settleLooks.until(
      SETTLE_POLLS,
      () => world.tickets.every((key) => FINAL_STATUSES.includes(jira.issue(key).status)) && airflow.runs().every((run) => run.state === 'success' || run.state === 'failed'),
      () => world.drive(),
    );
    const settleTo = Date.now();
    const stopCode = await daemon.stop();
    // Liveness, reported: how often the change feed was polled against the intervals elapsed (every life, and the kill-free settling).
    const feed = feedPolls(jira.log.entries, daemon.lives.map((life) => ({ from: life.from, to: life.to ?? settleTo })), INTERVAL_MS);
    const settleFeed = feedPolls(jira.log.entries, [{ from: settleFrom, to: settleTo }], INTERVAL_MS);
    const pollGaps = feedGaps(jira.log.entries, airflow.log.entries, daemon.lives.map((life) => ({ from: life.from, to: life.to ?? settleTo })), outages);
    const longGaps = pollGaps.filter((gap) => gap > FEED_GAP_INTERVALS * INTERVAL_MS);
    const longestGap = Math.max(0, ...pollGaps);

    const tickets = world.tickets;
    const runs = airflow.runs();
    const requests = tickets.reduce((sum, key) => sum + requestsOf(jira, key), 0);
    const duplicateRuns = tickets.flatMap((key) => {
      const extra = runsOf(airflow, key).length - requestsOf(jira, key);
      return extra > 0 ? [`${key}: ${extra} extra`] : [];
    });
    const missingRuns = tickets.filter((key) => runsOf(airflow, key).length < requestsOf(jira, key));
    const duplicateComments = tickets.flatMap((key) => duplicateMarkers(jira, key).map((marker) => `${key} ${marker}`));
    const unfinishedKeys = tickets.filter((key) => !FINAL_STATUSES.includes(jira.issue(key).status));
    const unfinished = unfinishedKeys.map((key) => `${key} in ${jira.issue(key).status}, Run Status ${fieldText(jira.issue(key).fields[FIELD.runStatus]) ?? 'empty'}, runs ${runsOf(airflow, key).map((run) => `${run.dagRunId} ${run.state}`).join(', ') || 'none'}`);
    const wrongOutcome = tickets.filter((key) => FINAL_STATUSES.includes(jira.issue(key).status) && jira.issue(key).status !== (world.failing.has(key) ? FAILED : COMPLETED));
    const jiraBreaches = politeBreaches(requestsInsideRetryAfter(jira.log.entries, { graceMs: RETRY_AFTER_GRACE_MS }), daemon.killedAt);
    const airflowBreaches = politeBreaches(requestsInsideRetryAfter(airflow.log.entries, { graceMs: RETRY_AFTER_GRACE_MS }), daemon.killedAt);
    const comments = tickets.reduce((sum, key) => sum + jira.comments(key).length, 0);
    const faults = { jira: jira.log.faultCounts(), airflow: airflow.log.faultCounts() };
    const injected = [...Object.values(faults.jira), ...Object.values(faults.airflow)].reduce((a: number, b) => a + (b ?? 0), 0);

    console.log(
      [
        `fault suite: ${tickets.length} tickets, ${requests} requests (incl. ${RE_RUNS} re-runs), ${runs.length} runs, ${duplicateRuns.length} duplicate runs, ${missingRuns.length} missing runs,`,
        `${comments} comments, ${duplicateComments.length} duplicate comments, ${unfinished.length} unfinished, ${wrongOutcome.length} wrong outcomes,`,
        `${gaps.length} final statuses seen without their final writes (checked after every Jira request),`,
        `${steps.length} step boundaries and ${RANDOM_KILLS} random kills (${notReached.length} not reached), ${daemon.kills} kills, ${daemon.starts} starts, final stop exit ${stopCode},`,
        `steps killed at: ${steps.map(label).join('; ')},`,
        `${selfExits.length} daemon exits nobody asked for, looks used: kills ${killLooks.used}/${KILL_PHASE_POLLS}, settling ${settleLooks.used}/${SETTLE_POLLS},`,
        `${injected} faults injected (jira ${JSON.stringify(faults.jira)}, airflow ${JSON.stringify(faults.airflow)}),`,
        `${jira.log.entries.length} Jira requests, ${airflow.log.entries.length} Airflow requests,`,
        `change feed polled ${feed.polls} times in ${feed.intervals} intervals of the daemons' lives (settling: ${settleFeed.polls} in ${settleFeed.intervals}),`,
        `longest gap between change-feed requests ${(longestGap / INTERVAL_MS).toFixed(1)} intervals, ${longGaps.length} of ${pollGaps.length} gaps longer than ${FEED_GAP_INTERVALS} (outside the outages),`,
        `${jiraBreaches.counted.length + airflowBreaches.counted.length} requests inside a Retry-After (jira ${jiraBreaches.counted.length}, airflow ${airflowBreaches.counted.length}; ${jiraBreaches.acrossRestart + airflowBreaches.acrossRestart} more across a restart, not counted)`,
      ].join('\n  '),
    );
    for (const key of unfinishedKeys) {
      console.log(`log lines about unfinished ${key}:\n  ${daemon.linesAbout(key).join('\n  ')}`);
    }
    const sample = (breaches: RetryAfterBreach[]): string[] =>
      breaches.slice(0, 5).map((b) => `${b.request.method} ${b.request.path} ${b.request.at - (b.heldBy.answeredAt ?? b.heldBy.at)} ms after a ${b.heldBy.limitScope} 429 on ${b.heldBy.method} ${b.heldBy.path}`);

    expect(steps.length).toBeGreaterThan(5);
    expect.soft(settled).toBe(true);
    expect.soft(notReached).toEqual([]);
    expect.soft(selfExits).toEqual([]);
    expect.soft(duplicateRuns).toEqual([]);
    expect.soft(missingRuns).toEqual([]);
    expect.soft(duplicateComments).toEqual([]);
    expect.soft(unfinished).toEqual([]);
    expect.soft(wrongOutcome).toEqual([]);
    expect.soft(gaps).toEqual([]);
    expect.soft(sample(jiraBreaches.counted)).toEqual([]);
    expect.soft(sample(airflowBreaches.counted)).toEqual([]);
    expect.soft(stopCode).toBe(0);
    // Liveness: the change feed polled on schedule throughout, whatever the tickets waited for.
    expect.soft(longGaps.map((gap) => `${(gap / INTERVAL_MS).toFixed(1)} intervals without a change-feed request`)).toEqual([]);
    expect.soft(settleFeed.polls).toBeGreaterThanOrEqual(Math.floor(settleFeed.intervals / FEED_GAP_INTERVALS));
  }, 900_000);
});
