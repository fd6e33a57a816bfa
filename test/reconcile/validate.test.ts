import { describe, expect, it } from 'vitest';
import { validateTicket, type FieldProblem } from '../../src/reconcile/validate.js';
import { rules } from './builders.js';
import { ticket } from './fakes.js';

function problems(overrides: Parameters<typeof ticket>[1]): Array<Pick<FieldProblem, 'field' | 'reason'>> {
  const result = validateTicket(ticket('SCR-1', overrides), rules());
  return result.ok ? [] : result.problems.map(({ field, reason }) => ({ field, reason }));
}

function problemText(overrides: Parameters<typeof ticket>[1]): string {
  const result = validateTicket(ticket('SCR-1', overrides), rules());
  return result.ok ? '' : result.problems.map((p) => `${p.field}: ${p.problem}`).join('\n');
}

describe('validateTicket', () => {
  it('a complete ticket becomes a request with trimmed values and the parsed params', () => {
    const result = validateTicket(ticket('SCR-1', { source: ' quebec ', runType: 'FULL_REFRESH', environment: 'staging', paramsText: ' {"a": {"b": 1}} ' }), rules());
    expect(result).toEqual({ ok: true, request: { source: 'quebec', runType: 'FULL_REFRESH', environment: 'staging', params: { a: { b: 1 } } } });
  });

  it.each([
    ['Source', { source: null }],
    ['Source', { source: '   ' }],
    ['Run Type', { runType: null }],
    ['Environment', { environment: '' }],
    ['Parameters', { paramsText: null }],
    ['Parameters', { paramsText: '  ' }],
  ] as const)('an empty %s is a missing field', (field, overrides) => {
    expect(problems(overrides)).toEqual([{ field, reason: 'missing_field' }]);
  });

  it.each([
    [{ source: 'mars' }, 'Source', 'unknown_source', 'expected one of alfabeta, quebec, lafa'],
    [{ runType: 'WEEKLY' }, 'Run Type', 'unknown_run_type', 'expected one of FULL_REFRESH, DELTA, SINGLE_PRODUCT'],
    [{ environment: 'qa' }, 'Environment', 'environment_not_allowed', 'expected one of dev, staging, prod'],
  ] as const)('a value outside the allowed list is named with what is expected (%o)', (overrides, field, reason, expected) => {
    expect(problems(overrides)).toEqual([{ field, reason }]);
    expect(problemText(overrides)).toContain(expected);
  });

  it('values are compared exactly: a select option in another case is not allowed', () => {
    expect(problems({ environment: 'Prod' })).toEqual([{ field: 'Environment', reason: 'environment_not_allowed' }]);
  });

  it.each([
    ['not JSON', '{limit: 100}', 'is not valid JSON'],
    ['an array', '[1, 2]', 'is an array, not an object'],
    ['null', 'null', 'is null, not an object'],
    ['a number', '42', 'is a number, not an object'],
    ['a string', '"x"', 'is a string, not an object'],
  ])('Parameters that are %s are bad params', (_what, paramsText, says) => {
    expect(problems({ paramsText })).toEqual([{ field: 'Parameters', reason: 'bad_params' }]);
    expect(problemText({ paramsText })).toContain(says);
    expect(problemText({ paramsText })).toContain('expected a JSON object');
  });

  it('typographic quotes from Jira’s editor are read as JSON quotes', () => {
    const result = validateTicket(ticket('SCR-1', { paramsText: '{\u201Climit\u201D:\u00A07}' }), rules());
    expect(result).toMatchObject({ ok: true, request: { params: { limit: 7 } } });
  });

  it('the source’s parameter schema is applied and its complaint quoted', () => {
    expect(problems({ paramsText: '{"limit": "many"}' })).toEqual([{ field: 'Parameters', reason: 'params_schema' }]);
    expect(problemText({ paramsText: '{"limit": "many"}' })).toBe('Parameters: does not fit the alfabeta parameter schema: /limit must be number');
  });

  it('the schema is not applied when the source itself is bad', () => {
    expect(problems({ source: 'mars', paramsText: '{"limit": "many"}' })).toEqual([{ field: 'Source', reason: 'unknown_source' }]);
  });

  it('every bad field is reported at once, in field order', () => {
    expect(problems({ source: null, runType: 'X', environment: 'qa', paramsText: '[]' }).map((p) => p.field)).toEqual([
      'Source',
      'Run Type',
      'Environment',
      'Parameters',
    ]);
  });

  it('a very long bad value is shortened in the message', () => {
    const text = problemText({ source: 'x'.repeat(200) });
    expect(text).toContain(`"${'x'.repeat(57)}..."`);
    expect(text.length).toBeLessThan(160);
  });
});
