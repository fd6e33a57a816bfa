import { describe, expect, it } from 'vitest';
import { chaosDraw, PER_ISSUE_REASON } from '../../../src/sandbox/common/chaos.js';
import type { RequestInfo } from '../../../src/sandbox/common/request-match.js';
import { seededRandom } from '../../../src/sandbox/common/prng.js';

const READ: RequestInfo = { method: 'GET', path: '/rest/api/3/issue/SCR-1', route: '/rest/api/3/issue/:key', issueKey: 'SCR-1' };
const WRITE: RequestInfo = { ...READ, method: 'PUT' };

function labels(draw: ReturnType<typeof chaosDraw>, request: RequestInfo, n: number): string[] {
  return Array.from({ length: n }, () => {
    const fault = draw(request);
    if (!fault) return 'ok';
    return fault.kind === 'status' ? String(fault.status) : fault.kind;
  });
}

describe('seededRandom', () => {
  it('draws the same sequence for the same seed and another for another seed', () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    const c = seededRandom(8);
    const first = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(first);
    expect([c(), c(), c()]).not.toEqual(first);
    expect(first.every((value) => value >= 0 && value < 1)).toBe(true);
  });
});

describe('chaosDraw', () => {
  const profile = { seed: 42, rateLimited: { rate: 0.3, retryAfter: '1' }, unavailable: { rate: 0.1 }, lostAnswers: { rate: 0.05 } };

  it('answers about the configured shares, the same way for the same seed', () => {
    const drawn = labels(chaosDraw(profile), READ, 2000);
    expect(labels(chaosDraw(profile), READ, 2000)).toEqual(drawn);
    const share = (label: string): number => drawn.filter((value) => value === label).length / drawn.length;
    expect(share('429')).toBeGreaterThan(0.26);
    expect(share('429')).toBeLessThan(0.34);
    expect(share('503')).toBeGreaterThan(0.07);
    expect(share('503')).toBeLessThan(0.13);
    expect(share('lost')).toBeGreaterThan(0.03);
    expect(share('lost')).toBeLessThan(0.07);
  });

  it('sends Retry-After on every 429', () => {
    const draw = chaosDraw({ seed: 1, rateLimited: { rate: 1, retryAfter: '1' } });
    expect(draw(READ)).toEqual({ kind: 'status', status: 429, retryAfter: '1' });
  });

  it('draws the per-issue reason only for writes to an issue', () => {
    const reasons = [PER_ISSUE_REASON, 'jira-burst-based'];
    const draw = chaosDraw({ seed: 3, rateLimited: { rate: 1, retryAfter: '1', reasons } });
    const reasonOf = (request: RequestInfo): string | undefined => {
      const fault = draw(request);
      return fault?.kind === 'status' ? fault.headers?.['ratelimit-reason'] : undefined;
    };
    const onReads = Array.from({ length: 50 }, () => reasonOf(READ));
    const onWrites = Array.from({ length: 50 }, () => reasonOf(WRITE));
    expect(new Set(onReads)).toEqual(new Set(['jira-burst-based']));
    expect(new Set(onWrites)).toEqual(new Set(reasons));
    expect(reasonOf({ ...WRITE, issueKey: null })).toBe('jira-burst-based');
  });

  it('leaves requests outside `only` alone', () => {
    const draw = chaosDraw({ seed: 1, unavailable: { rate: 1 }, only: { method: 'POST' } });
    expect(draw(READ)).toBeNull();
    expect(draw({ ...READ, method: 'POST' })).toEqual({ kind: 'status', status: 503 });
  });

  it('refuses rates that cannot be shares', () => {
    expect(() => chaosDraw({ seed: 1, unavailable: { rate: 1.5 } })).toThrow(/within 0\.\.1/);
    expect(() => chaosDraw({ seed: 1, unavailable: { rate: 0.6 }, lostAnswers: { rate: 0.6 } })).toThrow(/sum to at most 1/);
  });
});
