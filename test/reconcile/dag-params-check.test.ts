import { afterEach, describe, expect, it } from 'vitest';
import { runPass } from '../../src/reconcile/pass.js';
import { FAILED, passDeps, READY, ticket, type PassHarness } from './fakes.js';

let h: PassHarness;
afterEach(() => h.cleanup());

describe("checking Parameters against the DAG's declared params (airflow.checkDagParams)", () => {
  it("rejects before triggering with the DAG's reason, and triggers a ticket that fits", async () => {
    h = await passDeps({ file: { airflow: { checkDagParams: true } } });
    h.airflow.requiredParams.set('scraper_alfabeta', ['country']);
    h.jira.add(ticket('SCR-1', { paramsText: '{"limit": 5}' }), ticket('SCR-2', { paramsText: '{"limit": 5, "country": "AR"}' }));

    await runPass(h.deps);

    expect(h.airflow.triggers.map((t) => t.conf.jira_issue_key)).toEqual(['SCR-2']);
    expect(h.jira.ticket('SCR-1')).toMatchObject({ status: FAILED, runStatus: 'failed' });
    expect(h.jira.commentsOn('SCR-1')[0]?.text).toContain('`country` is required');
    expect(h.jira.ticket('SCR-2').status).toBe(READY);
  });

  it('is off by default: the DAG is not asked', async () => {
    h = await passDeps();
    h.airflow.requiredParams.set('scraper_alfabeta', ['country']);
    h.jira.add(ticket('SCR-1'));
    await runPass(h.deps);
    expect(h.airflow.triggers).toHaveLength(1);
  });
});
