import { describe, expect, it } from 'vitest';
import { compileParamsSchemas } from '../../src/config/params-schema.js';
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

  it('lists every problem with where it is', () => {
    expect(validators.get('alfabeta')?.({ limit: 0, categories: [1], since: 'yesterday', extra: true })).toEqual([
      'must NOT have additional properties (extra)',
      '/limit must be >= 1',
      '/categories/0 must be string',
      '/since must match format "date"',
    ]);
    expect(validators.get('quebec')?.({})).toEqual(["must have required property 'product_id'"]);
  });

  it('accepts anything for a source without a schema', () => {
    expect(validators.get('lafa')?.({ whatever: [1, 2] })).toEqual([]);
  });

  it('lets two sources share one schema with the same $id', () => {
    const schema = { $id: 'https://acme.io/params', type: 'object' };
    const shared = compileParamsSchemas({ sources: { a: { paramsSchema: schema }, b: { paramsSchema: schema } } });
    expect(shared.get('b')?.('not an object')).toEqual(['must be object']);
  });
});
