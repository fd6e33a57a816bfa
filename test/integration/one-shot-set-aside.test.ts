import { describe, expect, it } from 'vitest';
import type { PassSummary } from '../../src/reconcile/summary.js';
import { PER_ISSUE_REASON } from '../../src/sandbox/common/chaos.js';
import { readyTicket, view } from './tickets.js';
import { useWorld } from './world.js';

/**
 * A one-shot `reconcile` with one ticket's writes held for ten minutes by Jira's per-issue limit: the pass
 * works every other ticket to its end, sets the held one aside and says why and until when, and exits at
 * once (the hold is not waited out); the next pass finishes it with its one run.
 */
describe('a one-shot reconcile with a ticket throttled for long', () => {
  const world = useWorld();

  it('reports the held ticket set aside with its reason, in the table and in --json, and exits 0 without waiting', async () => {
    const held = readyTicket(world.jira, { source: 'quebec' });
    const other = readyTicket(world.jira, { source: 'alfabeta' });
    world.jira.faults.inject({
      fault: { kind: 'status', status: 429, retryAfter: '600', headers: { 'RateLimit-Reason': PER_ISSUE_REASON } },
      method: 'PUT',
      path: new RegExp(`^/rest/api/[23]/issue/${held}$`),
    });

    const text = await world.cli(['reconcile']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('1 set aside');
    expect(text.stdout).toMatch(new RegExp(`Set aside, worked again by the next pass or start:\\n  ${held} \\(request \\d+\\): held by a 429 \\(issue scope\\) until \\d{4}-\\d\\d-\\d\\dT`));
    expect(view(world.jira, other).runStatus).not.toBeNull();
    expect(view(world.jira, held).runStatus).toBeNull();

    const json = await world.cli(['reconcile', '--json']);
    expect(json.code).toBe(0);
    const summary = json.json<PassSummary>();
    expect(summary.setAside).toEqual([{ issue: held, requestId: expect.any(String) as unknown, reason: expect.stringMatching(/^held by a 429 \(issue scope\) until /) as unknown }]);

    world.jira.faults.clear();
    expect((await world.cli(['reconcile'])).code).toBe(0);
    expect(view(world.jira, held).runStatus).not.toBeNull();
    expect(world.airflow.runs().filter((run) => run.conf.jira_issue_key === held)).toHaveLength(1);
  });
});
