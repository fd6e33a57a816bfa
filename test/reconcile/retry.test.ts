import { afterEach, describe, expect, it } from 'vitest';
import { runPass } from '../../src/reconcile/pass.js';
import { attemptOf, attemptRunId, firstRunId, planRetry } from '../../src/reconcile/retry.js';
import { FAILED, metricValue, passDeps, READY, ticket, type PassHarness } from './fakes.js';

const RUN1 = 'jira__SCR-1__10001';
const RETRY = { retry: { attempts: 3, delaySeconds: 60, when: ['503', '/timeout/i'] } };
let h: PassHarness;

const pass = () => runPass(h.deps);

/** SCR-1 is triggered under the retry policy, its first run fails with this error, and a pass sees it. */
async function firstRunFails(error: string): Promise<void> {
  h = await passDeps({ file: RETRY });
  h.jira.add(ticket('SCR-1'));
  await pass();
  fail(RUN1, error);
  h.clock.advance(10_000);
  await pass();
}
function fail(dagRunId: string, error: string): void {
  h.airflow.planResult(dagRunId, { kind: 'found', value: { run_id: 'RUN-1', item_count: 0, error } });
  h.airflow.move(dagRunId, 'failed');
}

describe('retry ids and plans', () => {
  it('numbers attempts from the first run id', () => {
    expect(attemptOf(RUN1)).toBe(1);
    expect(attemptOf(`${RUN1}__a3`)).toBe(3);
    expect(firstRunId(`${RUN1}__a3`)).toBe(RUN1);
    expect(attemptRunId(RUN1, 2)).toBe(`${RUN1}__a2`);
  });

  it('waits delaySeconds before the second attempt and doubles after; none past the last attempt or for another error', () => {
    const policy = { attempts: 3, delaySeconds: 60, when: ['503'] };
    const now = new Date('2025-01-05T10:00:00Z');
    expect(planRetry(policy, RUN1, 'portal 503', now, false)).toEqual({ attempt: 2, of: 3, dagRunId: `${RUN1}__a2`, dueAt: new Date('2025-01-05T10:01:00Z') });
    expect(planRetry(policy, `${RUN1}__a2`, 'portal 503', now, false)?.dueAt).toEqual(new Date('2025-01-05T10:02:00Z'));
    expect(planRetry(policy, `${RUN1}__a3`, 'portal 503', now, false)).toBeNull();
    expect(planRetry(policy, RUN1, 'login refused', now, false)).toBeNull();
    expect(planRetry(policy, RUN1, 'portal 503', now, true)?.dueAt).toEqual(now);
  });
});

describe('automatic retries', () => {
  afterEach(() => h.cleanup());

  it('a failed run matching `when` is run again as __a2 then __a3 after its delays; only the last failure moves the ticket', async () => {
    await firstRunFails('portal answered 503');

    expect(h.jira.ticket('SCR-1')).toMatchObject({ status: READY, runStatus: 'queued', airflowRunId: `${RUN1}__a2` });
    const retryComments = () => h.jira.commentsOn('SCR-1').filter((c) => c.marker.startsWith('retry:'));
    expect(retryComments()).toHaveLength(1);
    expect(retryComments()[0]?.text).toContain('attempt 2 of 3');
    expect(retryComments()[0]?.text).toContain('portal answered 503');
    expect(await metricValue(h.metrics, 'reconciler_retries_total', { source: 'alfabeta' })).toBe(1);

    await pass(); // not due yet
    expect(h.airflow.triggers.map((t) => t.dagRunId)).toEqual([RUN1]);
    h.clock.advance(60_000);
    await pass();
    expect(h.airflow.triggers.map((t) => t.dagRunId)).toEqual([RUN1, `${RUN1}__a2`]);

    fail(`${RUN1}__a2`, 'Timeout on page 3');
    h.clock.advance(10_000);
    await pass();
    expect(retryComments()).toHaveLength(2);
    h.clock.advance(60_000);
    await pass(); // the second retry waits twice as long
    expect(h.airflow.triggers).toHaveLength(2);
    h.clock.advance(60_000);
    await pass();
    expect(h.airflow.triggers.map((t) => t.dagRunId)).toEqual([RUN1, `${RUN1}__a2`, `${RUN1}__a3`]);

    fail(`${RUN1}__a3`, 'portal answered 503');
    h.clock.advance(10_000);
    await pass();
    expect(h.jira.ticket('SCR-1')).toMatchObject({ status: FAILED, runStatus: 'failed', airflowRunId: `${RUN1}__a3` });
    expect(h.jira.commentsOn('SCR-1').filter((c) => c.marker.startsWith('finished:'))).toHaveLength(1);
    expect(h.jira.commentsOn('SCR-1').filter((c) => c.marker.startsWith('started:'))).toHaveLength(1);
    expect(h.airflow.duplicateTriggers).toEqual([]);
  });

  it('a failure whose error does not match `when` is final at once', async () => {
    await firstRunFails('login refused');
    expect(h.jira.ticket('SCR-1')).toMatchObject({ status: FAILED, runStatus: 'failed' });
    expect(h.airflow.triggers).toHaveLength(1);
  });

  it('a person moving the ticket out of Ready to Run during the wait stops further attempts', async () => {
    await firstRunFails('portal answered 503');
    h.jira.edit('SCR-1', { status: 'To Do' });
    h.clock.advance(120_000);
    await runPass(h.deps, { fullSweep: true });
    expect(h.airflow.triggers).toHaveLength(1);
    expect(h.store().latestForIssue('SCR-1')?.state).toBe('cancelled');
  });

  it('the wait survives a restart (due time in the store) and the attempt is rebuilt after the state file is lost', async () => {
    await firstRunFails('portal answered 503');
    expect(h.store().latestForIssue('SCR-1')).toMatchObject({ state: 'pending', airflowDagRunId: `${RUN1}__a2` });
    h.clock.advance(60_000);
    await pass();
    fail(`${RUN1}__a2`, 'portal answered 503');

    await h.loseStateFile();
    h.clock.advance(10_000);
    await runPass(h.deps, { fullSweep: true });

    // Rebuilt from Airflow: the first two attempts exist and failed, so the third starts, once.
    expect(h.airflow.triggers.map((t) => t.dagRunId)).toEqual([RUN1, `${RUN1}__a2`, `${RUN1}__a3`]);
    const markers = h.jira.commentsOn('SCR-1').map((c) => c.marker);
    expect(new Set(markers).size).toBe(markers.length);
    expect(h.jira.ticket('SCR-1')).toMatchObject({ status: READY, airflowRunId: `${RUN1}__a3` });
  });
});
