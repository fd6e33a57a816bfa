import { afterEach, describe, expect, it } from 'vitest';
import { FaultInjector } from '../../../src/sandbox/common/faults.js';
import { Router, startSimServer, type SimServer } from '../../../src/sandbox/common/http.js';
import { RateLimiter } from '../../../src/sandbox/common/rate-limits.js';
import { RequestLog, type LoggedExchange } from '../../../src/sandbox/common/request-log.js';
import { requestsInsideRetryAfter } from '../../../src/sandbox/common/retry-after-check.js';
import type { RequestInfo } from '../../../src/sandbox/common/request-match.js';

const put = (key: string): RequestInfo => ({ method: 'PUT', path: `/rest/api/3/issue/${key}`, route: '/rest/api/3/issue/:key', issueKey: key });
const search: RequestInfo = { method: 'POST', path: '/rest/api/3/search/jql', route: '/rest/api/3/search/jql', issueKey: null };
const transition = (key: string): RequestInfo => ({ method: 'POST', path: `/rest/api/3/issue/${key}/transitions`, route: '/rest/api/3/issue/:key/transitions', issueKey: key });

function statusOf(verdict: ReturnType<RateLimiter['check']>): number {
  return verdict.kind === 'refused' ? verdict.fault.status : 200;
}

describe('the enforcing limiter (token buckets as Jira Cloud keeps them)', () => {
  it('answers 429 with the burst reason only once an endpoint and method is past its rate, and refills', () => {
    let now = 0;
    const limiter = new RateLimiter({ writes: { perSecond: 10 } }, () => now);
    const statuses = Array.from({ length: 12 }, (_, i) => statusOf(limiter.check(put(`SCR-${i + 1}`))));
    expect(statuses).toEqual([...Array<number>(10).fill(200), 429, 429]);
    // Other endpoints and methods have buckets of their own.
    expect(statusOf(limiter.check(search))).toBe(200);
    expect(statusOf(limiter.check(transition('SCR-1')))).toBe(200);

    const refused = limiter.check(put('SCR-99'));
    expect(refused).toMatchObject({ kind: 'refused', fault: { status: 429, retryAfter: '1', headers: { 'ratelimit-reason': 'jira-burst-based' } } });
    now += 100;
    expect(statusOf(limiter.check(put('SCR-99')))).toBe(200);
    expect(statusOf(limiter.check(put('SCR-98')))).toBe(429);
  });

  it('at the steady rate nothing is refused: 429 only past the rate', () => {
    let now = 0;
    const limiter = new RateLimiter({ writes: { perSecond: 10 }, perIssueWrite: { perSecond: 1 } }, () => now);
    let refused = 0;
    for (let i = 0; i < 300; i++) {
      if (limiter.check(put(`SCR-${i}`)).kind === 'refused') refused++;
      now += 100;
    }
    expect(refused).toBe(0);
  });

  it("refuses a second write to one issue with the per-issue reason, not other issues' writes or its reads", () => {
    let now = 0;
    const limiter = new RateLimiter({ writes: { perSecond: 100 }, perIssueWrite: { perSecond: 1 } }, () => now);
    expect(statusOf(limiter.check(put('SCR-1')))).toBe(200);
    expect(limiter.check(transition('SCR-1'))).toMatchObject({ kind: 'refused', fault: { headers: { 'ratelimit-reason': 'jira-per-issue-on-write' } } });
    expect(statusOf(limiter.check(put('SCR-2')))).toBe(200);
    expect(statusOf(limiter.check({ ...put('SCR-1'), method: 'GET' }))).toBe(200);
    now += 1000;
    expect(statusOf(limiter.check(transition('SCR-1')))).toBe(200);
  });

  it('refuses everything of the tenant past its quota, with the quota reason', () => {
    const limiter = new RateLimiter({ tenant: { perSecond: 2 } }, () => 0);
    expect(statusOf(limiter.check(search))).toBe(200);
    expect(statusOf(limiter.check(put('SCR-1')))).toBe(200);
    expect(limiter.check(transition('SCR-2'))).toMatchObject({ kind: 'refused', fault: { headers: { 'ratelimit-reason': 'jira-quota-tenant-based' } } });
  });

  it('flags an answer that leaves under 20% of a budget with X-RateLimit-NearLimit and its reason', () => {
    const limiter = new RateLimiter({ writes: { perSecond: 10 } }, () => 0);
    const headers = Array.from({ length: 10 }, (_, i) => {
      const verdict = limiter.check(put(`SCR-${i}`));
      return verdict.kind === 'served' ? verdict.headers : null;
    });
    // 10 tokens: after the 9th and 10th requests 1 and 0 are left, under 2.
    expect(headers.slice(0, 8).every((h) => h !== null && Object.keys(h).length === 0)).toBe(true);
    expect(headers[8]).toEqual({ 'x-ratelimit-nearlimit': 'true', 'ratelimit-reason': 'jira-burst-based' });
    expect(headers[9]).toEqual({ 'x-ratelimit-nearlimit': 'true', 'ratelimit-reason': 'jira-burst-based' });
  });

  it('sends no reason for an upstream that names none (Airflow)', () => {
    const limiter = new RateLimiter({ tenant: { perSecond: 1 }, reasons: false }, () => 0);
    limiter.check(search);
    const refused = limiter.check(search);
    expect(refused.kind === 'refused' && refused.fault.headers).toEqual({ 'x-ratelimit-reset': new Date(1000).toISOString() });
  });

  it('refuses a bucket that could never admit a request', () => {
    expect(() => new RateLimiter({ writes: { perSecond: 0 } }, () => 0)).toThrow(/perSecond > 0/);
  });
});

describe('enforcing mode of a simulator server', () => {
  let server: SimServer | null = null;
  afterEach(async () => {
    await server?.close();
    server = null;
  });

  it('serves within the limit, adds NearLimit, answers 429 past it and logs the hold as endpoint-scoped', async () => {
    let clock = 1_000_000;
    const applied: string[] = [];
    const router = new Router()
      .add('PUT', '/rest/api/3/issue/:key', (req) => {
        applied.push(req.params.key ?? '');
        return { status: 204 };
      })
      .add('POST', '/rest/api/3/search/jql', () => ({ status: 200, body: { issues: [] } }));
    const faults = new FaultInjector({ now: () => clock });
    const log = new RequestLog();
    server = await startSimServer({ router, faults, log });
    faults.enforce({ writes: { perSecond: 2 } });
    const url = server.url;
    const send = (method: string, path: string): Promise<Response> => fetch(`${url}${path}`, { method, body: '{}', headers: { 'content-type': 'application/json' } });

    const first = await send('PUT', '/rest/api/3/issue/SCR-1');
    const second = await send('PUT', '/rest/api/3/issue/SCR-2');
    const third = await send('PUT', '/rest/api/3/issue/SCR-3');
    const searched = await send('POST', '/rest/api/3/search/jql');
    expect([first.status, second.status, third.status, searched.status]).toEqual([204, 204, 429, 200]);
    expect(first.headers.get('x-ratelimit-nearlimit')).toBeNull();
    expect(second.headers.get('x-ratelimit-nearlimit')).toBe('true');
    expect(third.headers.get('retry-after')).toBe('1');
    expect(third.headers.get('ratelimit-reason')).toBe('jira-burst-based');
    expect(applied).toEqual(['SCR-1', 'SCR-2']);
    expect(log.entries[2]).toMatchObject({ status: 429, limitScope: 'endpoint', route: '/rest/api/3/issue/:key' });

    clock += 1000;
    expect((await send('PUT', '/rest/api/3/issue/SCR-3')).status).toBe(204);
    faults.enforce(null);
    for (let i = 0; i < 5; i++) expect((await send('PUT', `/rest/api/3/issue/SCR-${10 + i}`)).status).toBe(204);
  });
});

describe('requestsInsideRetryAfter with an endpoint-scoped hold', () => {
  function exchange(at: number, extra: Partial<LoggedExchange> = {}): LoggedExchange {
    return { method: 'PUT', path: '/rest/api/3/issue/SCR-1', query: '', requestBody: undefined, status: 204, responseBody: undefined, route: '/rest/api/3/issue/:key', issueKey: 'SCR-1', at, answeredAt: at, fault: null, ...extra };
  }

  it('counts only requests of the same method and route inside the hold', () => {
    const hold = exchange(1000, { status: 429, retryAfterUntil: 2000, limitScope: 'endpoint', fault: 'status 429' });
    const samePutOtherIssue = exchange(1500, { path: '/rest/api/3/issue/SCR-2', issueKey: 'SCR-2' });
    const readOfSameIssue = exchange(1500, { method: 'GET' });
    const transition = exchange(1500, { method: 'POST', path: '/rest/api/3/issue/SCR-1/transitions', route: '/rest/api/3/issue/:key/transitions' });
    const after = exchange(2100);
    const breaches = requestsInsideRetryAfter([hold, samePutOtherIssue, readOfSameIssue, transition, after]);
    expect(breaches.map((breach) => breach.request)).toEqual([samePutOtherIssue]);
  });
});
