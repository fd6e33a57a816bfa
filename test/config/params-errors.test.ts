import { describe, expect, it } from 'vitest';
import { compileParamsSchema } from '../../src/config/params-schema.js';

function problems(schema: Record<string, unknown>, params: unknown): string[] {
  return compileParamsSchema(schema)(params);
}

const object = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ type: 'object', properties, ...extra });

describe('parameter errors in plain words', () => {
  it.each<[string, Record<string, unknown>, unknown, string]>([
    ['a wrong type', object({ n: { type: 'number' } }), { n: 'x' }, '`n` must be a number, not "x"'],
    ['a fraction for a whole number', object({ n: { type: 'integer' } }), { n: 1.5 }, '`n` must be a whole number, not 1.5'],
    ['a number over its maximum', object({ n: { type: 'integer', minimum: 1, maximum: 10 } }), { n: 11 }, '`n` must be a whole number ≥ 1 and ≤ 10, not 11'],
    ['an exclusive minimum', object({ n: { type: 'number', exclusiveMinimum: 0 } }), { n: 0 }, '`n` must be a number > 0, not 0'],
    ['a multiple', object({ n: { type: 'integer', multipleOf: 5 } }), { n: 7 }, '`n` must be a multiple of 5, not 7'],
    ['one of several types', object({ n: { type: ['string', 'null'] } }), { n: 3 }, '`n` must be text or null, not 3'],
    ['true or false', object({ b: { type: 'boolean' } }), { b: 'yes' }, '`b` must be true or false, not "yes"'],
    ['a value outside an enum', object({ c: { enum: ['AR', 'BR'] } }), { c: 'CL' }, '`c` must be one of "AR", "BR", not "CL"'],
    ['a const', object({ v: { const: 2 } }), { v: 3 }, '`v` must be 2, not 3'],
    ['a pattern', object({ c: { type: 'string', pattern: '^[A-Z]{2}$' } }), { c: 'arg' }, '`c` must match the pattern ^[A-Z]{2}$, not "arg"'],
    ['a short string', object({ s: { type: 'string', minLength: 2 } }), { s: 'a' }, '`s` must be at least 2 characters long, not "a"'],
    ['a long string', object({ s: { type: 'string', maxLength: 1 } }), { s: 'ab' }, '`s` must be at most 1 character long'],
    ['a format', object({ e: { type: 'string', format: 'email' } }), { e: 'nope' }, '`e` must be an e-mail address, not "nope"'],
    ['an unnamed format', object({ e: { type: 'string', format: 'json-pointer' } }), { e: 'a' }, '`e` must be in the format "json-pointer", not "a"'],
    ['too few items', object({ l: { type: 'array', minItems: 2 } }), { l: [1] }, '`l` must list at least 2 items'],
    ['too many items', object({ l: { type: 'array', maxItems: 1 } }), { l: [1, 2] }, '`l` must list at most 1 item'],
    ['a repeated item', object({ l: { type: 'array', uniqueItems: true } }), { l: [1, 1] }, '`l` must not list the same item twice (items 0 and 1 are equal)'],
    ['too few entries', { type: 'object', minProperties: 1 }, {}, 'the Parameters object must have at least 1 entry'],
    ['a required parameter', object({}, { required: ['country'] }), {}, '`country` is required'],
    ['a nested required parameter', object({ a: object({}, { required: ['b'] }) }), { a: {} }, '`a.b` is required'],
    ['an unknown parameter', object({ a: {} }, { additionalProperties: false }), { b: 1 }, '`b` is not a known parameter; allowed: a'],
    ['an unknown nested key', object({ a: object({ x: {} }, { additionalProperties: false }) }), { a: { y: 1 } }, '`a.y` is not allowed in `a`; allowed: x'],
    ['an unevaluated parameter', object({ a: {} }, { unevaluatedProperties: false }), { z: 1 }, '`z` is not a known parameter; allowed: a'],
    ['a dependent requirement', object({}, { dependentRequired: { from: ['to'] } }), { from: 1 }, '`to` is required when `from` is given'],
    ['a forbidden value', object({ a: { not: { const: 0 } } }), { a: 0 }, '`a` has a value the schema forbids, not 0'],
    ['a false schema', object({ a: false }), { a: 1 }, '`a` is not allowed'],
    ['an item of a nested list', object({ l: { type: 'array', items: object({ n: { type: 'integer' } }) } }), { l: [{ n: 'x' }] }, '`l[0].n` must be a whole number, not "x"'],
    ['a key with a slash', object({ 'a/b': { type: 'integer' } }), { 'a/b': 'x' }, '`a/b` must be a whole number, not "x"'],
  ])('%s', (_what, schema, params, expected) => {
    expect(problems(schema, params)).toEqual([expected]);
  });

  it('folds the branches of anyOf into one sentence', () => {
    const schema = object({ id: { anyOf: [{ type: 'integer' }, { type: 'string', pattern: '^P' }] } });
    expect(problems(schema, { id: 'X1' })).toEqual(['`id` must match one of the allowed forms, not "X1"']);
  });

  it('says the then-rule’s problem, not the if', () => {
    const schema = object({}, { if: { required: ['full'] }, then: { required: ['since'] } });
    expect(problems(schema, { full: true })).toEqual(['`since` is required']);
  });

  it('shortens a long value', () => {
    const [text] = problems(object({ s: { type: 'integer' } }), { s: 'x'.repeat(100) });
    expect(text?.length).toBeLessThan(100);
    expect(text).toContain('..."');
  });

  it('lists every problem once', () => {
    expect(problems(object({ a: { type: 'integer' }, b: { type: 'integer' } }, { required: ['c'] }), { a: 'x', b: 'y' })).toHaveLength(3);
  });
});
