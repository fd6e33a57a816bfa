import { describe, expect, it } from 'vitest';
import { compileParamsCheck, compileParamsSchemas, compileProjectParamsChecks } from '../../src/config/params-schema.js';
import { readConfig } from '../../src/config/read-config.js';
import { MINIMAL_ENV, yamlFile } from './helpers.js';

const FILE = yamlFile(`
sources:
  alfabeta:
    paramsSchema:
      type: object
      properties:
        limit: { type: integer, minimum: 1 }
        categories: { type: array, items: { type: string } }
        since: { type: string, format: date }
      additionalProperties: false
  quebec:
    paramsSchema:
      $schema: "http://json-schema.org/draft-07/schema#"
      type: object
      required: [product_id]
  lafa: {}
`);

describe('compileParamsSchemas', () => {
  const validators = compileParamsSchemas(readConfig(MINIMAL_ENV, FILE));

  it('has a validator for every source', () => {
    expect([...validators.keys()]).toEqual(['alfabeta', 'quebec', 'lafa']);
  });

  it('returns no problems for valid parameters', () => {
    expect(validators.get('alfabeta')?.({ limit: 5, categories: ['a'], since: '2025-01-05' })).toEqual([]);
    expect(validators.get('quebec')?.({ product_id: 'P1' })).toEqual([]);
  });

  it('lists every problem in plain words with the parameter’s path', () => {
    expect(validators.get('alfabeta')?.({ limit: 0, categories: [1], since: 'yesterday', extra: true })).toEqual([
      '`extra` is not a known parameter; allowed: limit, categories, since',
      '`limit` must be a whole number ≥ 1, not 0',
      '`categories[0]` must be text, not 1',
      '`since` must be a date (YYYY-MM-DD), not "yesterday"',
    ]);
    expect(validators.get('quebec')?.({})).toEqual(['`product_id` is required']);
  });

  it('accepts anything for a source without a schema', () => {
    expect(validators.get('lafa')?.({ whatever: [1, 2] })).toEqual([]);
  });

  it('lets two sources share one schema with the same $id', () => {
    const schema = { $id: 'https://acme.io/params', type: 'object' };
    const shared = compileParamsSchemas({ sources: { a: { paramsSchema: schema }, b: { paramsSchema: schema } } });
    expect(shared.get('b')?.('not an object')).toEqual(['the Parameters object must be an object, not "not an object"']);
  });
});

describe('compileParamsCheck', () => {
  const sources = {
    alfabeta: {
      paramsSchema: {
        type: 'object',
        properties: { max_pages: { type: 'integer', minimum: 1, default: 10 }, country: { type: 'string' } },
        required: ['country'],
      },
      runTypes: {
        SINGLE_PRODUCT: {
          paramsSchema: { type: 'object', properties: { product_id: { type: 'string', minLength: 1 } }, required: ['product_id'] },
        },
        DELTA: { retry: { attempts: 2 } },
      },
    },
    lafa: {},
  };
  const check = compileParamsCheck(sources);

  it('fills in the schema’s defaults and returns the defaulted object', () => {
    const original = { country: 'AR' };
    expect(check('alfabeta', 'FULL_REFRESH', original)).toEqual({ params: { country: 'AR', max_pages: 10 }, problems: [] });
    expect(original).toEqual({ country: 'AR' });
  });

  it('keeps a value the ticket gives over the default', () => {
    expect(check('alfabeta', 'DELTA', { country: 'AR', max_pages: 3 }).params).toEqual({ country: 'AR', max_pages: 3 });
  });

  it('lists each problem: a bad number and a missing parameter', () => {
    expect(check('alfabeta', 'FULL_REFRESH', { max_pages: 'many' }).problems).toEqual([
      '`country` is required',
      '`max_pages` must be a whole number ≥ 1, not "many"',
    ]);
  });

  it('uses the run type’s schema instead of the source’s when it has one', () => {
    expect(check('alfabeta', 'SINGLE_PRODUCT', {}).problems).toEqual(['`product_id` is required']);
    expect(check('alfabeta', 'SINGLE_PRODUCT', { product_id: 'P1' })).toEqual({ params: { product_id: 'P1' }, problems: [] });
  });

  it('uses the source’s schema for a run type without one, or when the run type is not usable', () => {
    expect(check('alfabeta', 'DELTA', {}).problems).toEqual(['`country` is required']);
    expect(check('alfabeta', null, {}).problems).toEqual(['`country` is required']);
  });

  it('accepts any object, unchanged, for a source without a schema or a source it does not know', () => {
    expect(check('lafa', 'DELTA', { a: 1 })).toEqual({ params: { a: 1 }, problems: [] });
    expect(check('mars', 'DELTA', { a: 1 })).toEqual({ params: { a: 1 }, problems: [] });
  });
});

describe('compileProjectParamsChecks', () => {
  const config = readConfig(
    { ...MINIMAL_ENV, JIRA_PROJECTS: '' },
    yamlFile(`
jira:
  projects:
    - SCR
    - key: OPS
      sources:
        lafa:
          paramsSchema: { type: object, required: [region] }
sources:
  lafa: {}
`),
  );
  const checks = compileProjectParamsChecks(config);

  it('checks a project’s tickets against the project’s own source settings', () => {
    expect(checks('OPS')('lafa', 'DELTA', {}).problems).toEqual(['`region` is required']);
    expect(checks('SCR')('lafa', 'DELTA', {}).problems).toEqual([]);
  });

  it('falls back to the top-level sources for a project it does not know', () => {
    expect(checks('ZZZ')('lafa', 'DELTA', {}).problems).toEqual([]);
  });
});
