import { describe, expect, it } from 'vitest';
import { compileParamsCheck } from '../../src/config/params-schema.js';
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

  it.each([null, '', '  \n'])('an empty Parameters field (%o) means {}', (paramsText) => {
    expect(validateTicket(ticket('SCR-1', { paramsText }), rules())).toMatchObject({ ok: true, request: { params: {} } });
  });

  it('the source’s parameter schema is applied and its complaint quoted', () => {
    expect(problems({ paramsText: '{"limit": "many"}' })).toEqual([{ field: 'Parameters', reason: 'params_schema' }]);
    expect(problemText({ paramsText: '{"limit": "many"}' })).toBe('Parameters: /limit must be number');
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

describe('validateTicket with a parameter schema check', () => {
  const checkParams = compileParamsCheck({
    alfabeta: {
      paramsSchema: {
        type: 'object',
        properties: { max_pages: { type: 'integer', minimum: 1, default: 5 }, country: { type: 'string' } },
        required: ['country'],
      },
      runTypes: { SINGLE_PRODUCT: { paramsSchema: { type: 'object', required: ['product_id'] } } },
    },
    quebec: {},
    lafa: {},
  });
  const withSchemas = () => ({ ...rules(), checkParams });
  const base = { source: 'alfabeta', runType: 'DELTA', environment: 'dev' } as const;

  it('the request carries the params with the schema’s defaults filled in', () => {
    const result = validateTicket(ticket('SCR-1', { ...base, paramsText: '{"country": "AR"}' }), withSchemas());
    expect(result).toMatchObject({ ok: true, request: { params: { country: 'AR', max_pages: 5 } } });
  });

  it('each schema problem is its own Parameters line, in plain words', () => {
    const result = validateTicket(ticket('SCR-1', { ...base, paramsText: '{"max_pages": 0}' }), withSchemas());
    expect(result.ok ? [] : result.problems.map((p) => `${p.field}: ${p.problem} (${p.reason})`)).toEqual([
      'Parameters: `country` is required (params_schema)',
      'Parameters: `max_pages` must be a whole number ≥ 1, not 0 (params_schema)',
    ]);
  });

  it('an empty Parameters field is {} and fails only what the schema requires', () => {
    const result = validateTicket(ticket('SCR-1', { ...base, paramsText: null }), withSchemas());
    expect(result.ok ? [] : result.problems.map((p) => p.problem)).toEqual(['`country` is required']);
    const lafa = validateTicket(ticket('SCR-1', { ...base, source: 'lafa', paramsText: '' }), withSchemas());
    expect(lafa).toMatchObject({ ok: true, request: { params: {} } });
  });

  it('the run type’s schema is used instead of the source’s', () => {
    const result = validateTicket(ticket('SCR-1', { ...base, runType: 'SINGLE_PRODUCT', paramsText: '{"product_id": "P1"}' }), withSchemas());
    expect(result).toMatchObject({ ok: true, request: { params: { product_id: 'P1' } } });
  });

  it('a bad run type still gets the source’s schema checked, so every problem is said at once', () => {
    const result = validateTicket(ticket('SCR-1', { ...base, runType: 'WEEKLY', paramsText: '{}' }), withSchemas());
    expect(result.ok ? [] : result.problems.map((p) => p.field)).toEqual(['Run Type', 'Parameters']);
  });

  it('the schema check wins over paramsProblems when both are given', () => {
    const both = { ...withSchemas(), paramsProblems: () => ['never used'] };
    expect(validateTicket(ticket('SCR-1', { ...base, paramsText: '{"country": "AR"}' }), both)).toMatchObject({ ok: true });
  });
});
