import { describe, expect, it } from 'vitest';
import type { Clock } from '../../src/clock.js';
import { UpstreamError } from '../../src/http/errors.js';
import { RateGate } from '../../src/http/rate-gate.js';
import { withRetry } from '../../src/http/retry.js';
import { silentLogger } from '../../src/observability/logger.js';
import { runPass } from '../../src/reconcile/pass.js';
import { WorkQueue } from '../../src/reconcile/queue.js';
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
});
