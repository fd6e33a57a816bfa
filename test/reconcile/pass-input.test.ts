import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Ticket } from '../../src/jira/ticket.js';
import { runPass } from '../../src/reconcile/pass.js';
import { FAILED, metricValue, passDeps, ticket, type PassHarness } from './fakes.js';

const ALFABETA_SCHEMA = {
  type: 'object',
  properties: { limit: { type: 'integer', minimum: 1 } },
  additionalProperties: false,
};

let h: PassHarness;
beforeEach(async () => {
  h = await passDeps({ file: { sources: { alfabeta: { paramsSchema: ALFABETA_SCHEMA }, quebec: {}, lafa: {} } } });
});
afterEach(() => h.cleanup());

const pass = () => runPass(h.deps);

describe('a ticket with bad input', () => {
  it.each<[string, Partial<Ticket>, string[], string, string]>([
    ['a missing field', { runType: null }, ['Run Type'], 'missing_field', 'expected one of FULL_REFRESH, DELTA, SINGLE_PRODUCT'],
    ['an unknown source', { source: 'mars' }, ['Source'], 'unknown_source', '"mars" is not allowed'],
    ['Parameters that are not JSON', { paramsText: '{limit: 5' }, ['Parameters'], 'bad_params', 'is not valid JSON'],
    ['Parameters that are an array', { paramsText: '[5]' }, ['Parameters'], 'bad_params', 'is an array, not an object'],
    ['Parameters failing the source schema', { paramsText: '{"limit": 0}' }, ['Parameters'], 'params_schema', '`limit` must be a whole number ≥ 1, not 0'],
    ['an environment not allowed', { environment: 'qa' }, ['Environment'], 'environment_not_allowed', 'expected one of dev, staging, prod'],
    ['several bad fields', { source: null, environment: 'qa' }, ['Source', 'Environment'], 'missing_field', 'Environment: "qa"'],
  ])('%s: one comment naming each bad field, Run Status invalid, moved to Failed, no DAG run', async (_what, bad, fields, reason, says) => {
    h.jira.add(ticket('SCR-1', bad), ticket('SCR-2'));
    const summary = await pass();
    expect(summary).toMatchObject({ rejected: 1, triggered: 1, errors: 0 });

    expect(h.jira.ticket('SCR-1')).toMatchObject({ status: FAILED, runStatus: 'invalid', airflowRunId: null });
    const comments = h.jira.commentsOn('SCR-1');
    expect(comments).toHaveLength(1);
    for (const field of fields) expect(comments[0]?.text).toContain(`${field}: `);
    expect(comments[0]?.text).toContain(says);
    expect(h.airflow.triggers.map((t) => t.conf.jira_issue_key)).toEqual(['SCR-2']);
    expect(h.store().latestForIssue('SCR-1')).toMatchObject({ state: 'invalid', jiraPhase: 'finished', airflowDagRunId: null });
    expect(await metricValue(h.metrics, 'reconciler_tickets_rejected_total', { reason })).toBe(1);

    const writes = h.jira.writeCount();
    h.clock.advance(30_000);
    expect((await pass()).rejected).toBe(0);
    expect(h.jira.writeCount()).toBe(writes);
  });

  it('is never commented on twice for the same content, even when moved back to Ready unchanged', async () => {
    h.jira.add(ticket('SCR-1', { source: 'mars' }));
    await pass();
    h.clock.advance(600_000);
    h.jira.rerun('SCR-1', '10077');
    const summary = await pass();
    expect(summary.rejected).toBe(1);
    expect(h.jira.ticket('SCR-1')).toMatchObject({ status: FAILED, runStatus: 'invalid' });
    expect(h.jira.commentsOn('SCR-1')).toHaveLength(1);
    expect(h.store().latestForIssue('SCR-1')).toMatchObject({ requestId: '10077', attempt: 2, state: 'invalid' });
  });

  it('is commented on again when the content changed and is still wrong', async () => {
    h.jira.add(ticket('SCR-1', { source: 'mars' }));
    await pass();
    h.clock.advance(600_000);
    h.jira.edit('SCR-1', { source: 'venus' });
    h.jira.rerun('SCR-1', '10077');
    await pass();
    expect(h.jira.commentsOn('SCR-1').map((c) => c.text.includes('venus'))).toEqual([false, true]);
  });

  it('runs once its fields are fixed and it is moved back to Ready', async () => {
    h.jira.add(ticket('SCR-1', { paramsText: '{"limit": 0}' }));
    await pass();
    h.clock.advance(600_000);
    h.jira.edit('SCR-1', { paramsText: '{"limit": 10}' });
    h.jira.rerun('SCR-1', '10077');
    expect((await pass()).triggered).toBe(1);
    expect(h.airflow.triggers[0]).toMatchObject({ dagRunId: 'jira__SCR-1__10077', conf: { params: { limit: 10 } } });
  });
});

describe('a DAG that cannot run', () => {
  it('a paused DAG fails the ticket with a comment saying so, and starts no run', async () => {
    h.airflow.addDag('scraper_alfabeta', { paused: true });
    h.jira.add(ticket('SCR-1'), ticket('SCR-2', { source: 'quebec' }));
    const summary = await pass();
    expect(summary).toMatchObject({ rejected: 1, triggered: 1, errors: 0 });
    expect(h.airflow.triggers.map((t) => t.dagId)).toEqual(['scraper_quebec']);
    expect(h.jira.ticket('SCR-1')).toMatchObject({ status: FAILED, runStatus: 'failed' });
    expect(h.jira.commentsOn('SCR-1')).toHaveLength(1);
    expect(h.jira.commentsOn('SCR-1')[0]?.text).toContain('The DAG scraper_alfabeta is paused in Airflow');
    expect(h.store().latestForIssue('SCR-1')).toMatchObject({ state: 'failed', jiraPhase: 'finished' });
    expect(await metricValue(h.metrics, 'reconciler_tickets_rejected_total', { reason: 'dag_paused' })).toBe(1);

    const writes = h.jira.writeCount();
    await pass();
    expect(h.jira.writeCount()).toBe(writes);
    expect(h.airflow.triggers).toHaveLength(1);
  });

  it('a missing DAG fails the ticket with a comment naming the DAG', async () => {
    h.airflow.dags.delete('scraper_lafa');
    h.jira.add(ticket('SCR-3', { source: 'lafa' }));
    await pass();
    expect(h.airflow.triggers).toHaveLength(0);
    expect(h.jira.ticket('SCR-3')).toMatchObject({ status: FAILED, runStatus: 'failed' });
    expect(h.jira.commentsOn('SCR-3')[0]?.text).toContain('The DAG scraper_lafa does not exist in Airflow');
    expect(await metricValue(h.metrics, 'reconciler_tickets_rejected_total', { reason: 'dag_missing' })).toBe(1);
  });

  it('a DAG removed between the check and the trigger (Airflow 404) fails the ticket the same way', async () => {
    h.jira.add(ticket('SCR-1'));
    const getDag = h.airflow.getDag.bind(h.airflow);
    h.airflow.getDag = async (dagId) => {
      const dag = await getDag(dagId);
      h.airflow.dags.delete(dagId);
      return dag;
    };
    await pass();
    expect(h.airflow.triggers).toHaveLength(0);
    expect(h.jira.ticket('SCR-1')).toMatchObject({ status: FAILED, runStatus: 'failed' });
    expect(h.jira.commentsOn('SCR-1')[0]?.text).toContain('does not exist in Airflow');
  });
});
