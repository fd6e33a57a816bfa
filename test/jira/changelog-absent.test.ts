import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { useNock } from '../support/nock.js';
import { harness, JIRA, page, rawIssue, SEARCH, statusChange } from './helpers.js';

const CHANGELOG = '/rest/api/3/issue/SCR-1/changelog';

useNock();

/** An issue as a server returns it when it ignores expand=changelog. */
function withoutChangelog(key: string): Record<string, unknown> {
  const { changelog: _changelog, ...rest } = rawIssue(key);
  return rest;
}

describe('a search answer without the changelog asked for', () => {
  it('reads the changelog to find the request', async () => {
    const { gateway } = harness();
    const scope = nock(JIRA)
      .post(SEARCH)
      .reply(200, page([withoutChangelog('SCR-1')]))
      .get(CHANGELOG)
      .query({ startAt: '0', maxResults: '100' })
      .reply(200, { startAt: 0, maxResults: 100, total: 1, values: [statusChange('77', '2025-01-05T10:00:00.000+0000', 'To Do', 'Ready to Run')] });

    const [ticket] = await gateway.searchReady({ updatedSince: null });

    scope.done();
    expect(ticket?.requestId).toBe('77');
  });

  it('reads back from the last page of a long changelog', async () => {
    const { gateway } = harness();
    const scope = nock(JIRA)
      .post(SEARCH)
      .reply(200, page([withoutChangelog('SCR-1')]))
      .get(CHANGELOG)
      .query({ startAt: '0', maxResults: '100' })
      .reply(200, { startAt: 0, maxResults: 100, total: 150, values: [] })
      .get(CHANGELOG)
      .query({ startAt: '50', maxResults: '100' })
      .reply(200, { startAt: 50, maxResults: 100, total: 150, values: [statusChange('149', '2025-01-06T10:00:00.000+0000', 'Completed', 'Ready to Run')] });

    const [ticket] = await gateway.searchReady({ updatedSince: null });

    scope.done();
    expect(ticket?.requestId).toBe('149');
  });
});
