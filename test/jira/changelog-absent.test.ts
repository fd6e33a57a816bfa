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

type ChangelogPage = { startAt: number; total: number; values: unknown[] };

/** The request id a search finds when its answer leaves the changelog out and these pages are served. */
async function requestIdFrom(pages: ChangelogPage[]): Promise<string | undefined> {
  const { gateway } = harness();
  let scope = nock(JIRA).post(SEARCH).reply(200, page([withoutChangelog('SCR-1')]));
  for (const { startAt, total, values } of pages) {
    scope = scope.get(CHANGELOG).query({ startAt: String(startAt), maxResults: '100' }).reply(200, { startAt, maxResults: 100, total, values });
  }
  const [ticket] = await gateway.searchReady({ updatedSince: null });
  scope.done();
  return ticket?.requestId;
}

describe('a search answer without the changelog asked for', () => {
  it('reads the changelog to find the request', async () => {
    const move = statusChange('77', '2025-01-05T10:00:00.000+0000', 'To Do', 'Ready to Run');
    expect(await requestIdFrom([{ startAt: 0, total: 1, values: [move] }])).toBe('77');
  });

  it('reads back from the last page of a long changelog', async () => {
    const move = statusChange('149', '2025-01-06T10:00:00.000+0000', 'Completed', 'Ready to Run');
    expect(
      await requestIdFrom([
        { startAt: 0, total: 150, values: [] },
        { startAt: 50, total: 150, values: [move] },
      ]),
    ).toBe('149');
  });
});
