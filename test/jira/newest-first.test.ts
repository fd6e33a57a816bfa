import { describe, expect, it } from 'vitest';
import { oldestFirst, reachedBefore } from '../../src/jira/newest-first.js';
import type { Issue } from '../../src/jira/schema.js';

const SINCE = new Date('2025-01-05T11:59:00.000Z');

function issue(key: string, updated: string): Issue {
  return { id: key.replace(/\D/g, ''), key, fields: { status: { name: 'Ready to Run' }, updated, created: '2025-01-04T09:00:00.000+0000' } };
}

describe('a newest-first change feed', () => {
  it('stops paging at the first page that reaches a change before since, and only for a feed', () => {
    const newer = [issue('SCR-3', '2025-01-05T11:59:40.000+0000'), issue('SCR-2', '2025-01-05T11:59:00.000+0000')];
    expect(reachedBefore(newer, SINCE)).toBe(false); // at since is still wanted
    expect(reachedBefore([...newer, issue('SCR-1', '2025-01-05T11:58:59.999+0000')], SINCE)).toBe(true);
    expect(reachedBefore([issue('SCR-1', '2025-01-01T00:00:00.000+0000')], undefined)).toBe(false);
    expect(reachedBefore([], SINCE)).toBe(false);
  });

  it('hands on changes from since on, each ticket once (its newer copy, on a tie the later read), oldest first', () => {
    const pages = [
      issue('SCR-3', '2025-01-05T11:59:50.000+0000'),
      issue('SCR-2', '2025-01-05T11:59:30.000+0000'),
      // SCR-2 read again on the next page (a change while paging shifted it): the later read stands.
      { ...issue('SCR-2', '2025-01-05T11:59:30.000+0000'), id: 'again' },
      issue('SCR-4', 'not a time'),
      issue('SCR-1', '2025-01-05T11:58:10.000+0000'),
    ];
    expect(oldestFirst(pages, SINCE).map((i) => `${i.key}:${i.id}`)).toEqual(['SCR-4:4', 'SCR-2:again', 'SCR-3:3']);
    expect(oldestFirst(pages, null).map((i) => i.key)).toEqual(['SCR-1', 'SCR-4', 'SCR-2', 'SCR-3']);
  });

  it('keeps the newer copy of a ticket read twice, even when the later read came from a staler index', () => {
    const fresh = { ...issue('SCR-7', '2025-01-05T11:59:30.000+0000'), id: 'fresh' };
    const stale = { ...issue('SCR-7', '2025-01-05T11:58:00.000+0000'), id: 'stale' };
    expect(oldestFirst([fresh, stale], SINCE).map((i) => i.id)).toEqual(['fresh']);
    expect(oldestFirst([stale, fresh], SINCE).map((i) => i.id)).toEqual(['fresh']);
  });
});
