import { describe, expect, it } from 'vitest';
import { keysJql, minutesSince, quoteJql, readyJql } from '../../src/jira/jql.js';

const now = new Date('2025-01-05T12:00:00.000Z');

describe('jql', () => {
  it('quotes and escapes string literals', () => {
    expect(quoteJql('Ready to Run')).toBe('"Ready to Run"');
    expect(quoteJql('say "hi" \\ bye')).toBe('"say \\"hi\\" \\\\ bye"');
  });

  it('builds the full-sweep Ready search', () => {
    expect(readyJql(['SCR', 'OPS'], 'Ready to Run', null, now)).toBe(
      'project in ("SCR", "OPS") AND status = "Ready to Run" ORDER BY updated ASC',
    );
  });

  it('bounds the incremental search by a relative date one minute wider than needed', () => {
    const since = new Date('2025-01-05T11:50:30.000Z');
    expect(readyJql(['SCR'], 'Ready to Run', since, now)).toBe(
      'project in ("SCR") AND status = "Ready to Run" AND updated >= -11m ORDER BY updated ASC',
    );
  });

  it.each([
    ['exactly 5 minutes', '2025-01-05T11:55:00.000Z', 6],
    ['a second', '2025-01-05T11:59:59.000Z', 2],
    ['a cursor in the future (clock skew)', '2025-01-05T12:10:00.000Z', 1],
  ])('counts minutes for %s', (_name, since, minutes) => {
    expect(minutesSince(new Date(since), now)).toBe(minutes);
  });

  it('builds a key search', () => {
    expect(keysJql(['SCR-1', 'SCR-2'])).toBe('key in ("SCR-1", "SCR-2")');
  });
});
