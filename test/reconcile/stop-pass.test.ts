import { afterEach, describe, expect, it } from 'vitest';
import { StoppedError } from '../../src/http/retry.js';
import { runPass } from '../../src/reconcile/pass.js';
import { passDeps, ticket, type PassHarness } from './fakes.js';

describe('a pass cut short by a stop', () => {
  let h: PassHarness;
  afterEach(() => h.cleanup());

  it('sets aside the items not begun, says so, and keeps the cursor so the next start finds them', async () => {
    h = await passDeps();
    h.jira.add(ticket('SCR-1'), ticket('SCR-2'));
    const stop = new AbortController();
    stop.abort();

    const summary = await runPass({ ...h.deps, stop: stop.signal });

    expect(summary.setAside).toEqual([
      { issue: 'SCR-1', requestId: '10001', reason: 'stopping' },
      { issue: 'SCR-2', requestId: '10001', reason: 'stopping' },
    ]);
    expect(summary.errors).toBe(0);
    expect(h.airflow.triggers).toHaveLength(0);
    expect(h.store().getCursor().updatedSince).toBeNull();

    const next = await runPass(h.deps);
    expect(next.triggered).toBe(2);
    expect(next.setAside).toEqual([]);
  });

  it('sets aside a ticket whose write was dropped by the stop, records no problem on it, and the next pass finishes it with one run', async () => {
    h = await passDeps();
    h.jira.add(ticket('SCR-1'));
    const stop = new AbortController();
    h.jira.failWrite = () => {
      stop.abort();
      return new StoppedError('jira');
    };

    const summary = await runPass({ ...h.deps, stop: stop.signal });
    expect(summary.setAside).toEqual([{ issue: 'SCR-1', requestId: '10001', reason: 'stopping' }]);
    expect(summary.errors).toBe(0);
    expect(h.store().findRequest('SCR-1', '10001')?.lastProblem ?? null).toBeNull();
    expect(h.store().getCursor().updatedSince).toBeNull();

    h.jira.failWrite = null;
    h.clock.advance(5_000);
    await runPass(h.deps);
    expect(h.airflow.triggers).toHaveLength(1);
    expect(h.jira.ticket('SCR-1').airflowRunId).not.toBeNull();
  });
});
