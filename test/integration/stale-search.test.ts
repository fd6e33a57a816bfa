import { describe, expect, it } from 'vitest';
import type { LoggedExchange } from '../../src/sandbox/common/request-log.js';
import { triggers } from './requests.js';
import { COMPLETED, readyTicket, view } from './tickets.js';
import { SLOW_TEST_MS, TIMING, useWorld } from './world.js';

// Longer than a run takes on the sim clock, so search still shows Ready to Run after the ticket finished;
// short enough that the sims' clock stays within the daemon's incremental search window.
const SEARCH_LAG_MS = 120_000;

/**
 * The status the last search for Ready to Run tickets showed for the ticket, or null when it was not in
 * the answer. Searches by key (the daemon's read-after-write confirmation) are not that search.
 */
function searchedStatus(entries: readonly LoggedExchange[], key: string): string | null {
  const isReadySearch = (entry: LoggedExchange): boolean =>
    entry.path === '/rest/api/3/search/jql' && /status = "Ready to Run"/.test((entry.requestBody as { jql?: string } | undefined)?.jql ?? new URLSearchParams(entry.query).get('jql') ?? '');
  const search = entries.filter(isReadySearch).at(-1);
  const issues = (search?.responseBody as { issues?: Array<{ key: string; fields?: { status?: { name?: string } } }> } | undefined)?.issues ?? [];
  return issues.find((issue) => issue.key === key)?.fields?.status?.name ?? null;
}

describe('a Jira search that lags behind the daemon\'s own writes', () => {
  const world = useWorld({ searchLagMs: SEARCH_LAG_MS });

  it('never starts a second run or posts a second comment while search still shows the ticket in Ready to Run', async () => {
    const key = readyTicket(world.jira);
    world.advance(SEARCH_LAG_MS + 1_000);
    await world.pass();
    expect(world.airflow.runs()).toHaveLength(1);

    world.advance(TIMING.queuedMs + 1_000);
    await world.pass();
    world.advance(TIMING.runningMs);
    await world.pass();
    expect(view(world.jira, key)).toMatchObject({ status: COMPLETED, runStatus: 'success' });

    world.airflow.log.clear();
    world.advance(10_000);
    await world.pass();
    expect(searchedStatus(world.jira.log.entries, key), 'the search answer is stale').toBe('Ready to Run');

    expect(triggers(world.airflow.log.entries)).toEqual([]);
    expect(world.airflow.runs()).toHaveLength(1);
    const ticket = view(world.jira, key);
    expect(ticket).toMatchObject({ status: COMPLETED, runStatus: 'success' });
    expect(ticket.comments).toHaveLength(2);
  }, SLOW_TEST_MS);
});
