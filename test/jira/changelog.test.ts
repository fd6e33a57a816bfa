import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { useNock } from '../support/nock.js';
import { harness, JIRA, page, rawIssue, SEARCH, statusChange } from './helpers.js';

const CHANGELOG = '/rest/api/3/issue/SCR-1/changelog';

useNock();

describe('truncated changelog', () => {
  it('reads the tail again with the page size Jira allows when it caps the one asked for', async () => {
    const { gateway } = harness();
    const scope = nock(JIRA)
      .post(SEARCH)
      .reply(200, page([rawIssue('SCR-1', { histories: [], total: 130 })]))
      .get(CHANGELOG)
      .query({ startAt: '30', maxResults: '100' })
      .reply(200, { startAt: 30, maxResults: 50, total: 130, values: [statusChange('31', '2025-01-02T10:00:00.000+0000', 'Open', 'Ready to Run')] })
      .get(CHANGELOG)
      .query({ startAt: '80', maxResults: '50' })
      .reply(200, {
        startAt: 80,
        maxResults: 50,
        total: 130,
        values: [statusChange('129', '2025-01-04T10:00:00.000+0000', 'Completed', 'Ready to Run')],
      });

    const [ticket] = await gateway.searchReady({ updatedSince: null });

    scope.done();
    expect(ticket?.requestId).toBe('129');
  });

  it('falls back to `created` when no page holds a move into Ready', async () => {
    const { gateway } = harness();
    const scope = nock(JIRA)
      .post(SEARCH)
      .reply(200, page([rawIssue('SCR-1', { histories: [], total: 3 })]))
      .get(CHANGELOG)
      .query({ startAt: '0', maxResults: '100' })
      .reply(200, { startAt: 0, maxResults: 100, total: 3, values: [statusChange('1', '2025-01-02T10:00:00.000+0000', 'Open', 'Backlog')] });

    const [ticket] = await gateway.searchReady({ updatedSince: null });

    scope.done();
    expect(ticket?.requestId).toBe('created');
    expect(ticket?.requestedAt).toBe('2025-01-04T09:00:00.000Z');
  });
});
