import { describe, expect, it } from 'vitest';
import type { Clock } from '../../src/clock.js';
import { UpstreamError } from '../../src/http/errors.js';
import { RateGate } from '../../src/http/rate-gate.js';
import { withRetry } from '../../src/http/retry.js';
import { announceWait } from '../../src/http/wait-watch.js';
import { silentLogger } from '../../src/observability/logger.js';
import { runPass } from '../../src/reconcile/pass.js';
import { WorkQueue, type WorkResult } from '../../src/reconcile/queue.js';
import type { PassSummary } from '../../src/reconcile/summary.js';
import { manualClock, settle } from '../support/manual-clock.js';
import { COMPLETED, passDeps, START, ticket, type PassHarness } from './fakes.js';

/** Every Jira write through the real retry, whose backoffs wait on `clock`. */
function retriedWrites(h: PassHarness, clock: Clock, signal: AbortSignal): void {
  const jira = h.jira;
  const updateFields = jira.updateFields.bind(jira);
  const transitionTo = jira.transitionTo.bind(jira);
  const addComment = jira.addComment.bind(jira);
  const options = { clock, retries: 5, signal };
  jira.updateFields = (key, fields, opts) => withRetry('jira', () => updateFields(key, fields, opts), options);
  jira.transitionTo = (key, status, opts) => withRetry('jira', () => transitionTo(key, status, opts), options);
  jira.addComment = (key, comment) => withRetry('jira', () => addComment(key, comment), options);
}

interface Run {
  /** The pass (1-based) in which every healthy ticket was Completed. */
  finishedInPass: number;
  /** The pass in which the request made after pass 1 was triggered. */
  newRequestTriggeredInPass: number;
  summaries: PassSummary[];
}

/**
 * Five healthy tickets, a new request arriving after the first pass, and optionally SCR-99, whose every
 * write Jira refuses with a 503 and whose backoff never ends in this test. A pass every 30 s; Airflow
 * ends each run in the interval after it was triggered.
 */
async function world(refused: boolean): Promise<Run> {
  const h = await passDeps();
  const stop = new AbortController();
  const backoffs = manualClock(START);
  const queue = new WorkQueue(backoffs, silentLogger(), { concurrency: h.deps.config.http.concurrency });
  const deps = { ...h.deps, queue, stop: stop.signal };
  retriedWrites(h, backoffs, stop.signal);
  try {
    const healthy = ['SCR-1', 'SCR-2', 'SCR-3', 'SCR-4', 'SCR-5'];
    h.jira.add(...healthy.map((key) => ticket(key)));
    if (refused) {
      h.jira.add(ticket('SCR-99'));
      h.jira.failWrite = (_operation, key) => (key === 'SCR-99' ? new UpstreamError('jira', 'transient', 'jira answered HTTP 503', { status: 503 }) : undefined);
    }
    const summaries: PassSummary[] = [];
    let newRequestTriggeredInPass = 0;
    for (let pass = 1; pass <= 10; pass++) {
      const summary = await runPass(deps).catch((error: { summary?: PassSummary }) => error.summary ?? null);
      if (!summary) throw new Error(`pass ${pass} failed without a summary`);
      summaries.push(summary);
      if (summary.tickets.some((t) => t.issue === 'SCR-6' && t.outcome === 'triggered')) newRequestTriggeredInPass = pass;
      if ([...healthy, 'SCR-6'].every((key) => h.jira.ticket(key).status === COMPLETED)) return { finishedInPass: pass, newRequestTriggeredInPass, summaries };
      if (pass === 1) h.jira.add(ticket('SCR-6'));
      h.clock.advance(30_000);
      for (const { run } of h.airflow.runs.values()) if (run.state === 'queued') h.airflow.move(run.dagRunId, 'success');
    }
    throw new Error('the healthy tickets did not finish in 10 passes');
  } finally {
    stop.abort();
    await queue.idle();
    h.cleanup();
  }
}

/** A pass's deps whose Jira field writes pass through a rate gate the test holds, with a queue on a manual clock. */
async function gatedWrites() {
  const h = await passDeps();
  const clock = manualClock(START);
  const queue = new WorkQueue(clock, silentLogger(), { concurrency: h.deps.config.http.concurrency });
  const gate = new RateGate({ clock, concurrency: 4 });
  const updateFields = h.jira.updateFields.bind(h.jira);
  h.jira.updateFields = async (key, fields, options) => {
    const release = await gate.admit({ endpoint: 'PUT /rest/api/3/issue/{key}', issue: key, write: true });
    try {
      return await updateFields(key, fields, options);
    } finally {
      release();
    }
  };
  return { h, clock, queue, gate };
}

describe('the work queue', () => {
  it('one ticket whose writes Jira refuses does not slow the others, and a new request is picked up in its first pass', async () => {
    const clean = await world(false);
    const faulty = await world(true);

    expect(faulty.finishedInPass).toBe(clean.finishedInPass);
    expect(faulty.newRequestTriggeredInPass).toBe(2);
    expect(clean.newRequestTriggeredInPass).toBe(2);
    // The refused ticket was set aside with its due time, and left to its worker by the later passes.
    const [first, second] = faulty.summaries;
    expect(first?.setAside).toEqual([{ issue: 'SCR-99', requestId: '10001', reason: expect.stringMatching(/^backing off after jira answered HTTP 503 until 2025-01-05T10:00:02\.000Z$/) as unknown }]);
    expect(second?.setAside.map((item) => [item.issue, item.reason.startsWith('still being worked (backing off')])).toEqual([['SCR-99', true]]);
  });

  it('a throttled ticket is retried when its hold ends, not at the next pass', async () => {
    const { h, clock, queue, gate } = await gatedWrites();
    try {
      h.jira.add(ticket('SCR-1'), ticket('SCR-2'));
      // Jira said SCR-1's writes are over their limit for 3 s.
      gate.hold({ kind: 'issue', issue: 'SCR-1' }, START.getTime() + 3_000);

      const summary = await runPass({ ...h.deps, queue });
      expect(summary.triggered).toBe(1);
      expect(summary.setAside).toEqual([{ issue: 'SCR-1', requestId: '10001', reason: 'held by a 429 (issue scope) until 2025-01-05T10:00:03.000Z' }]);
      const written = (): string[] => h.jira.fieldWrites.map((write) => write.key);
      expect(written()).toEqual(['SCR-2']);

      clock.advance(2_999);
      await settle();
      expect(written()).toEqual(['SCR-2']);
      expect(queue.working).toBe(1);

      clock.advance(1);
      await queue.idle();
      expect(written()).toEqual(['SCR-2', 'SCR-1']);
      expect(h.jira.ticket('SCR-1').airflowRunId).not.toBeNull();
    } finally {
      h.cleanup();
    }
  });

  it('owns the slots: a set-aside worker keeps one of a second allowance, new work takes the free ones, and past that allowance set-aside workers hold their own', async () => {
    const clock = manualClock(START);
    const queue = new WorkQueue(clock, silentLogger(), { concurrency: 2 });
    const started: string[] = [];
    /** A worker that must wait `waitMs` on its own hold (0: none) before it is done. */
    const worker = (issue: string, waitMs: number) => async (): Promise<WorkResult> => {
      started.push(issue);
      if (waitMs > 0) {
        announceWait(clock.now().getTime() + waitMs, 'held by a 429 (issue scope)');
        await clock.sleep(waitMs);
      }
      return { report: { issue, requestId: '1', dagRunId: null, outcome: 'updated', detail: '' } };
    };
    const outcome = async (result: Promise<WorkResult>): Promise<string> => (await result).report.outcome;

    // Two held tickets are set aside; they keep slots of the set-aside allowance, so two new requests start at once.
    expect(await Promise.all([outcome(queue.work('SCR-1', '1', worker('SCR-1', 60_000))), outcome(queue.work('SCR-2', '1', worker('SCR-2', 60_000)))])).toEqual(['set-aside', 'set-aside']);
    expect(queue.slots).toEqual({ active: 0, aside: 2, waiting: 0 });
    expect(await Promise.all([outcome(queue.work('SCR-3', '1', worker('SCR-3', 0))), outcome(queue.work('SCR-4', '1', worker('SCR-4', 0)))])).toEqual(['updated', 'updated']);

    // The allowance is full: the next two held tickets keep their working slots, and a fifth ticket waits for one.
    const held = [queue.work('SCR-5', '1', worker('SCR-5', 10_000)), queue.work('SCR-6', '1', worker('SCR-6', 20_000))];
    expect((await Promise.all(held)).map((r) => r.report.outcome)).toEqual(['set-aside', 'set-aside']);
    const fifth = queue.work('SCR-7', '1', worker('SCR-7', 0));
    await settle();
    expect(queue.slots).toEqual({ active: 2, aside: 2, waiting: 1 });
    expect(started).not.toContain('SCR-7');
    expect(queue.working).toBe(5);

    // The first wait to end frees its slot for the ticket waiting for one.
    clock.advance(10_000);
    expect(await outcome(fifth)).toBe('updated');
    expect(started.at(-1)).toBe('SCR-7');

    clock.advance(60_000);
    await queue.idle();
    expect(queue.slots).toEqual({ active: 0, aside: 0, waiting: 0 });
  });

  it('a ticket request already in hand, found again, is not worked twice', async () => {
    const clock = manualClock(START);
    const queue = new WorkQueue(clock, silentLogger(), { concurrency: 4 });
    let runs = 0;
    const worker = async (): Promise<WorkResult> => {
      runs++;
      announceWait(clock.now().getTime() + 5_000, 'backing off after jira answered HTTP 503');
      await clock.sleep(5_000);
      return { report: { issue: 'SCR-1', requestId: '1', dagRunId: null, outcome: 'updated', detail: '' } };
    };
    expect((await queue.work('SCR-1', '1', worker)).report.outcome).toBe('set-aside');
    const again = await queue.work('SCR-1', '1', worker);
    expect(again.report).toMatchObject({ outcome: 'set-aside', detail: expect.stringMatching(/^still being worked \(backing off after jira answered HTTP 503\) until / ) as unknown });
    clock.advance(5_000);
    await queue.idle();
    expect(runs).toBe(1);
  });

  it('a ticket whose worker ends while the next pass gathers is left alone by that pass: what it gathered is older than the worker\'s writes', async () => {
    const { h, clock, queue, gate } = await gatedWrites();
    try {
      h.jira.add(ticket('SCR-1'));
      gate.hold({ kind: 'issue', issue: 'SCR-1' }, START.getTime() + 3_000);
      expect((await runPass({ ...h.deps, queue })).setAside.map((item) => item.issue)).toEqual(['SCR-1']);

      // The next pass's search is where the hold ends: SCR-1's worker writes while the pass gathers.
      const searchReady = h.jira.searchReady.bind(h.jira);
      h.jira.searchReady = async (options) => {
        const found = await searchReady(options);
        clock.advance(3_000);
        await queue.idle();
        return found;
      };
      const second = await runPass({ ...h.deps, queue });
      expect(second.setAside).toEqual([{ issue: 'SCR-1', requestId: '10001', reason: 'its ticket was being worked while this pass gathered; the next pass reads it afresh' }]);
      expect(h.jira.fieldWrites.map((write) => write.key)).toEqual(['SCR-1']);
      expect(h.jira.commentsOn('SCR-1')).toHaveLength(1);
    } finally {
      h.cleanup();
    }
  });
});
