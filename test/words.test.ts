import { describe, expect, it } from 'vitest';
import { countOf, formatCount } from '../src/words.js';

describe('words', () => {
  it.each([
    [0, '0'],
    [999, '999'],
    [1000, '1,000'],
    [6049402, '6,049,402'],
    [1234567890, '1,234,567,890'],
  ])('formatCount(%d) is %s', (value, text) => {
    expect(formatCount(value)).toBe(text);
  });

  it('uses the singular for one and the plural otherwise', () => {
    expect(countOf(1, 'minute')).toBe('1 minute');
    expect(countOf(0, 'minute')).toBe('0 minutes');
    expect(countOf(2, 'minute')).toBe('2 minutes');
    expect(countOf(1, 'attempt')).toBe('1 attempt');
    expect(countOf(3, 'entry', 'entries')).toBe('3 entries');
    expect(countOf(2500, 'item')).toBe('2,500 items');
  });
});
