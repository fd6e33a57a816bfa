import { describe, expect, it } from 'vitest';
import { parsePythonLiteral } from '../../src/airflow/python-literal.js';

describe('parsePythonLiteral', () => {
  it('reads dicts with strings, numbers, booleans and None', () => {
    expect(parsePythonLiteral("{'a': 1, 'b': None, 'c': True, 'd': False, 'e': -2.5e3}")?.value).toEqual({
      a: 1,
      b: null,
      c: true,
      d: false,
      e: -2500,
    });
  });

  it('reads nested lists, tuples and both quote styles with escapes', () => {
    expect(parsePythonLiteral(`{"it's": ['x\\ny', (1, 2,)], 'q': 'say \\'hi\\' \\xe9'}`)?.value).toEqual({
      "it's": ['x\ny', [1, 2]],
      q: "say 'hi' é",
    });
  });

  it('refuses text that is not one whole literal', () => {
    expect(parsePythonLiteral("{'a': 1} trailing")).toBeUndefined();
    expect(parsePythonLiteral("{'a': datetime.datetime(2025, 1, 5)}")).toBeUndefined();
    expect(parsePythonLiteral("{'a': 'unterminated}")).toBeUndefined();
  });
});
