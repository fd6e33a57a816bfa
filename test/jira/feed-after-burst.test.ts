import { describe, expect, it } from 'vitest';
import { SIM_JIRA_PAT } from '../../src/sandbox/jira/server.js';
import { readyTickets, rig, type Rig } from '../support/engine-rig.js';

const BURST = 120;
const PAGE = 10;
const DAY_MS = 24 * 3_600_000;

const DEPLOYMENTS = [
  { deployment: 'cloud', search: 'POST /rest/api/3/search/jql', confirm: 'POST /rest/api/3/search/jql', options: {} },
  {
    deployment: 'datacenter',
    search: 'POST /rest/api/2/search',
    confirm: 'GET /rest/api/2/issue/:key', // Data Center has no reconcileIssues: a direct read
    options: { jira: { deployment: 'datacenter' as const }, env: { JIRA_USERNAME: '', JIRA_API_TOKEN: '', JIRA_PAT: SIM_JIRA_PAT } },
  },
] as const;

/** A burst of 120 triggers (and their runs seen running) at 0 s and 2 s, on pages of 10; runs that last a day. */
async function afterBurst(options: (typeof DEPLOYMENTS)[number]['options']): Promise<Rig> {
  const r = await rig({ ...options, configFile: JSON.stringify({ jira: { pageSize: PAGE } }) });
  readyTickets(r.jira, BURST);
  r.airflow.plan({}, { state: 'success', durationMs: DAY_MS });
  const trigger = await r.pass();
  expect(trigger.summary.triggered).toBe(BURST);
  r.advance(2_000);
  // Every run is seen running: 120 more own writes, the burst's last at 2 s.
  await r.pass();
  return r;
}

describe.each(DEPLOYMENTS)('the change feed after a burst of own writes (Jira $deployment)', ({ search, confirm, options }) => {
  it('pages through the burst in the pass right after it; a minute after it, one search page and two Airflow lists', async () => {
    const r = await afterBurst(options);

    r.advance(31_000);
    const rightAfter = await r.pass(); // at 33 s: since 2 s less the 30 s overlap
    expect(rightAfter.jira).toEqual({ [search]: BURST / PAGE });

    r.advance(30_000);
    // At 63 s: since 3 s. The JQL's bound is whole minutes (-2m, back to -57 s) and still matches all 120;
    // the first page, newest first, already reaches a change before 3 s, so no second page is asked for.
    const minuteAfter = await r.pass();
    expect(minuteAfter.jira).toEqual({ [search]: 1 }); // no ticket read, written or confirmed
    expect(minuteAfter.jiraTotal + minuteAfter.airflowTotal).toBeLessThanOrEqual(5);
    expect(minuteAfter.airflowTotal).toBe(2);
  });

  it('loses no change inside the rounded minute: a request made between the passes is found and triggered', async () => {
    const r = await afterBurst(options);
    r.advance(31_000);
    await r.pass();
    r.advance(20_000);
    const [late] = readyTickets(r.jira, 1, 'quebec'); // at 53 s, after the last pass began
    r.advance(10_000);

    const next = await r.pass();

    expect(next.summary.triggered).toBe(1);
    expect(r.airflow.runs().filter((run) => run.conf.jira_issue_key === late)).toHaveLength(1);
    // The feed's one page, then the read-after-write confirmation.
    expect(next.jira).toMatchObject(search === confirm ? { [search]: 2 } : { [search]: 1, [confirm]: 1 });
  });
});
