import { describe, expect, it } from 'vitest';
import type { LoggedExchange } from '../../../src/sandbox/common/request-log.js';
import { requestsInsideRetryAfter } from '../../../src/sandbox/common/retry-after-check.js';
import { retryAfterExpiry } from '../../../src/sandbox/common/retry-after.js';

function exchange(at: number, extra: Partial<LoggedExchange> = {}): LoggedExchange {
  return { method: 'GET', path: '/x', query: '', requestBody: undefined, status: 200, responseBody: undefined, route: null, issueKey: null, at, answeredAt: at, fault: null, ...extra };
}

function limited(at: number, scope: 'tenant' | 'issue', issueKey: string | null = null): LoggedExchange {
  return exchange(at, { status: 429, retryAfterUntil: at + 1000, limitScope: scope, issueKey, method: scope === 'issue' ? 'PUT' : 'GET', fault: 'status 429' });
}

describe('retryAfterExpiry', () => {
  it('reads delay seconds and HTTP dates, and gives up on anything else', () => {
    expect(retryAfterExpiry('1', 5000)).toBe(6000);
    expect(retryAfterExpiry('Wed, 21 Oct 2015 07:28:00 GMT', 0)).toBe(Date.parse('2015-10-21T07:28:00Z'));
    expect(retryAfterExpiry('soon', 0)).toBeNull();
  });
});

describe('requestsInsideRetryAfter', () => {
  it('counts every request inside a tenant-wide hold, none after it expires', () => {
    const hold = limited(1000, 'tenant');
    const inside = exchange(1500, { method: 'POST' });
    const breaches = requestsInsideRetryAfter([hold, inside, exchange(1999), exchange(2000), exchange(2500)]);
    expect(breaches.map((breach) => breach.request.at)).toEqual([1500, 1999]);
    expect(breaches[0]?.heldBy).toBe(hold);
  });

  it('holds only writes to the same issue for a per-issue 429', () => {
    const entries = [
      limited(1000, 'issue', 'SCR-1'),
      exchange(1100, { method: 'PUT', issueKey: 'SCR-1' }),
      exchange(1200, { method: 'GET', issueKey: 'SCR-1' }),
      exchange(1300, { method: 'POST', issueKey: 'SCR-2' }),
      exchange(1400, { method: 'POST' }),
    ];
    expect(requestsInsideRetryAfter(entries).map((breach) => breach.request.at)).toEqual([1100]);
  });

  it('spares requests that arrived before the 429 was sent, or within the grace after it', () => {
    const hold = { ...limited(1000, 'tenant'), answeredAt: 1050 };
    const entries = [hold, exchange(1020), exchange(1052), exchange(1100)];
    expect(requestsInsideRetryAfter(entries).map((breach) => breach.request.at)).toEqual([1052, 1100]);
    expect(requestsInsideRetryAfter(entries, { graceMs: 5 }).map((breach) => breach.request.at)).toEqual([1100]);
  });

  it('ignores a 429 without a readable Retry-After', () => {
    expect(requestsInsideRetryAfter([exchange(1000, { status: 429 }), exchange(1100)])).toEqual([]);
  });
});
