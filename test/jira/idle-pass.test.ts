import { describe, expect, it } from 'vitest';
import { readyTickets, rig } from '../support/engine-rig.js';

describe('an idle pass: nothing to do, nothing in flight', () => {
  it.each(['v1', 'v2'] as const)('asks Jira one search page and Airflow %s nothing at all (no list, no token)', async (apiVersion) => {
    const r = await rig({ apiVersion });
    readyTickets(r.jira, 3);
    await r.pass(); // triggers
    r.advance(30_000);
    await r.pass(); // the runs (2 s) have ended: every ticket finished
    for (const pass of [1, 2, 3]) {
      r.advance(30_000);
      const idle = await r.pass();
      expect(idle.jira, `idle pass ${pass}`).toEqual({ 'POST /rest/api/3/search/jql': 1 });
      expect(idle.airflowTotal, `idle pass ${pass}`).toBe(0);
    }
  });
});
