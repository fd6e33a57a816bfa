import { afterEach, describe, expect, it } from 'vitest';
import { UpstreamError } from '../../src/http/errors.js';
import type { SearchOptions } from '../../src/jira/gateway.js';
import type { Ticket } from '../../src/jira/ticket.js';
import { runPass } from '../../src/reconcile/pass.js';
import { passDeps, ticket, type PassHarness } from './fakes.js';

describe('a Jira that refuses the incremental search', () => {
  let h: PassHarness;
  afterEach(() => h.cleanup());

  it('is searched in full instead, and the ticket is still picked up', async () => {
    h = await passDeps();
    const search = h.jira.searchReady.bind(h.jira);
    h.jira.searchReady = (options: SearchOptions): Promise<Ticket[]> =>
      options.updatedSince
        ? Promise.reject(new UpstreamError('jira', 'bad_request', "jira answered HTTP 400: Error in the JQL Query: '-7m'", { status: 400 }))
        : search(options);
    await runPass(h.deps);
    h.clock.advance(30_000);
    h.jira.add(ticket('SCR-1'));

    const summary = await runPass(h.deps);

    expect(summary.search).toBe('incremental');
    expect(h.airflow.triggers.map((t) => t.conf.jira_issue_key)).toEqual(['SCR-1']);
  });
});
