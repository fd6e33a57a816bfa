import { describe, expect, it } from 'vitest';
import { bottleneck } from '../../src/bench/scenarios/rate-limited.js';
import type { LoggedExchange } from '../../src/sandbox/common/request-log.js';

function put(at: number, status = 204): LoggedExchange {
  return { method: 'PUT', path: '/rest/api/3/issue/SCR-1', query: '', requestBody: {}, status, responseBody: undefined, route: '/rest/api/3/issue/:key', at };
}

describe('the rate-limited run', () => {
  it('finds the write endpoint busy longest and the share of its allowed rate it was served at, 429s not counted', () => {
    const pass = [0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000].map((at) => put(at));
    pass.push(put(1000, 429));
    const search: LoggedExchange = { ...put(50), method: 'POST', path: '/rest/api/3/search/jql', route: '/rest/api/3/search/jql' };
    const transition: LoggedExchange = { ...put(10), method: 'POST', path: '/rest/api/3/issue/SCR-1/transitions', route: '/rest/api/3/issue/:key/transitions' };
    const pace = bottleneck([[...pass, search, transition, { ...transition, at: 20 }]], 10);
    expect(pace).toEqual({ endpoint: 'PUT /rest/api/3/issue/:key', admitted: 11, busySeconds: 1, shareOfAllowedRate: 1.1 });
  });

  it('has nothing to report for a run without writes', () => {
    expect(bottleneck([[]], 10)).toBeNull();
  });
});
