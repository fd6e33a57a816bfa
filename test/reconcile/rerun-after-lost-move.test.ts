import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UpstreamError } from '../../src/http/errors.js';
import { PassError, runPass } from '../../src/reconcile/pass.js';
import { COMPLETED, passDeps, READY, ticket, type PassHarness } from './fakes.js';

let h: PassHarness;
beforeEach(async () => {
  h = await passDeps();
});
afterEach(() => h.cleanup());

const RUN1 = 'jira__SCR-1__10001';
const RERUN = 'jira__SCR-1__10050';
const pass = () => runPass(h.deps);
const reset = (): UpstreamError => new UpstreamError('jira', 'transient', 'socket hang up');

/** SCR-1 triggered, its run succeeded: the next pass finishes it. */
async function finishedRun(): Promise<void> {
  h.jira.add(ticket('SCR-1'));
  await pass();
  h.airflow.planResult(RUN1, { kind: 'found', value: { run_id: 'RUN-1', item_count: 3, error: null } });
  h.airflow.move(RUN1, 'success');
}

describe('the final move repeated by a later pass, while a person has re-run the ticket', () => {
  it('the move had landed: it is not sent again, the request is finished once, and the re-run gets its run', async () => {
    await finishedRun();
    // The search still shows the first request in Ready to Run; Jira applies the move, the answer is lost, a person re-runs.
    h.jira.freezeSearch();
    h.jira.loseMoveAnswer = (key) => {
      h.jira.loseMoveAnswer = null;
      h.jira.rerun(key, '10050');
      return reset();
    };
    await expect(pass()).rejects.toBeInstanceOf(PassError);
    expect(h.jira.transitions).toEqual([{ key: 'SCR-1', to: COMPLETED }]);

    const repeat = await pass();
    expect(repeat.tickets.find((t) => t.issue === 'SCR-1')).toMatchObject({ outcome: 'succeeded', detail: 'Run Status success, moved to Completed' });
    expect(h.jira.transitions).toHaveLength(1);
    expect(h.jira.ticket('SCR-1')).toMatchObject({ status: READY, requestId: '10050' });
    expect(h.store().findRequest('SCR-1', '10001')).toMatchObject({ state: 'success', jiraPhase: 'finished', lastProblem: null });

    h.jira.unfreezeSearch();
    const rerun = await pass();
    expect(rerun.triggered).toBe(1);
    expect(h.airflow.triggers.map((t) => t.dagRunId)).toEqual([RUN1, RERUN]);
    expect(h.jira.commentsOn('SCR-1').map((c) => c.marker)).toEqual([`started:${RUN1}`, `finished:${RUN1}`, `started:${RERUN}`]);
  });

  it('the move had not landed: the ticket that stands for the re-run is not written to, and the outcome is recorded', async () => {
    await finishedRun();
    h.jira.freezeSearch();
    h.jira.failWrite = (operation) => (operation === 'transition' ? new UpstreamError('jira', 'transient', 'Jira answered 503', { status: 503 }) : undefined);
    await expect(pass()).rejects.toBeInstanceOf(PassError);
    h.jira.failWrite = null;
    h.jira.rerun('SCR-1', '10050');
    const writes = h.jira.writeCount();

    const repeat = await pass();
    expect(repeat.tickets.find((t) => t.issue === 'SCR-1')?.detail).toMatch(/newer request/);
    expect(h.jira.writeCount()).toBe(writes);
    expect(h.jira.ticket('SCR-1')).toMatchObject({ status: READY, requestId: '10050' });
    expect(h.store().findRequest('SCR-1', '10001')).toMatchObject({ state: 'success', jiraPhase: 'finished', lastProblem: expect.stringMatching(/newer request/) as unknown });

    h.jira.unfreezeSearch();
    expect((await pass()).triggered).toBe(1);
    expect(h.airflow.triggers.map((t) => t.dagRunId)).toEqual([RUN1, RERUN]);
  });
});
