import { describe, expect, it } from 'vitest';
import { addTallies, issueRef, jiraWrites, perTicket, ratio, since, tally, tallyDifferences, triggerThroughput } from '../../src/bench/counting.js';
import type { LoggedExchange } from '../../src/sandbox/common/request-log.js';

function exchange(method: string, path: string, at: number, route: string | null = null): LoggedExchange {
  return { method, path, query: '', requestBody: undefined, status: 200, responseBody: undefined, route, at };
}

describe('tally', () => {
  it('counts requests per method and route pattern, the path when no route matched', () => {
    const counted = tally([
      exchange('GET', '/rest/api/3/issue/SCR-1', 1, '/rest/api/3/issue/:key'),
      exchange('GET', '/rest/api/3/issue/SCR-2', 2, '/rest/api/3/issue/:key'),
      exchange('PUT', '/rest/api/3/issue/SCR-1', 3, '/rest/api/3/issue/:key'),
      exchange('GET', '/nowhere', 4),
    ]);
    expect(counted.total).toBe(4);
    expect(counted.byRoute).toEqual({ 'GET /rest/api/3/issue/:key': 2, 'PUT /rest/api/3/issue/:key': 1, 'GET /nowhere': 1 });
  });

  it('counts only the stretch after a mark', () => {
    const entries = [exchange('GET', '/a', 1), exchange('GET', '/b', 2), exchange('GET', '/c', 3)];
    expect(tally(since(entries, 2)).byRoute).toEqual({ 'GET /c': 1 });
  });

  it('adds tallies route by route', () => {
    const sum = addTallies({ total: 3, byRoute: { 'GET /a': 1, 'PUT /b': 2 } }, { total: 2, byRoute: { 'GET /a': 2 } });
    expect(sum).toEqual({ total: 5, byRoute: { 'GET /a': 3, 'PUT /b': 2 } });
  });

  it('divides by the tickets, two decimals', () => {
    const per = perTicket({ total: 20, byRoute: { 'GET /a': 7, 'PUT /b': 13 } }, 3);
    expect(per.total).toBe(6.67);
    expect(per.byRoute).toEqual({ 'GET /a': 2.33, 'PUT /b': 4.33 });
  });
});

describe('jiraWrites', () => {
  it('counts edits, comments and moves but not searches sent as POST', () => {
    const writes = jiraWrites([
      exchange('POST', '/rest/api/3/search/jql', 1),
      exchange('GET', '/rest/api/3/issue/SCR-1', 2),
      exchange('PUT', '/rest/api/3/issue/SCR-1', 3),
      exchange('POST', '/rest/api/3/issue/SCR-1/comment', 4),
      exchange('POST', '/rest/api/3/issue/SCR-1/transitions', 5),
    ]);
    expect(writes).toBe(3);
  });
});

describe('triggerThroughput', () => {
  it('times from the first request to the last write each ticket got, by key or by id', () => {
    const entries = [
      exchange('POST', '/rest/api/3/search/jql', 1_000),
      exchange('PUT', '/rest/api/3/issue/SCR-1', 1_200),
      exchange('POST', '/rest/api/3/issue/SCR-1/comment', 1_300),
      exchange('PUT', '/rest/api/3/issue/10002', 1_500),
      exchange('GET', '/rest/api/3/issue/SCR-3', 3_000),
    ];
    const result = triggerThroughput(entries, [
      { key: 'SCR-1', id: '10001' },
      { key: 'SCR-2', id: '10002' },
      { key: 'SCR-3', id: '10003' },
    ]);
    expect(result).toEqual({ tickets: 2, seconds: 0.5, perSecond: 4 });
  });

  it('is zero for a stretch without requests', () => {
    expect(triggerThroughput([], [{ key: 'SCR-1', id: '1' }])).toEqual({ tickets: 0, seconds: 0, perSecond: 0 });
  });
});

describe('issueRef', () => {
  it('finds the key or id of an issue path of either API version', () => {
    expect(issueRef('/rest/api/3/issue/SCR-12/transitions')).toBe('SCR-12');
    expect(issueRef('/rest/api/2/issue/10001')).toBe('10001');
    expect(issueRef('/rest/api/3/search/jql')).toBeNull();
  });
});

describe('ratio', () => {
  it('divides naive by product, one decimal, and has no ratio to zero', () => {
    expect(ratio(202, 3)).toBe(67.3);
    expect(ratio(5, 0)).toBeNull();
  });
});

describe('tallyDifferences', () => {
  it('is empty for the same requests route by route, and names each route that differs', () => {
    const a = { total: 3, byRoute: { 'GET /a': 2, 'PUT /b': 1 } };
    expect(tallyDifferences(a, { total: 3, byRoute: { 'PUT /b': 1, 'GET /a': 2 } })).toEqual([]);
    expect(tallyDifferences(a, { total: 3, byRoute: { 'GET /a': 2, 'POST /c': 1 } })).toEqual(['POST /c: 0 vs 1', 'PUT /b: 1 vs 0']);
  });
});
