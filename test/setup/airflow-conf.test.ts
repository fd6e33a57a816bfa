import { describe, expect, it } from 'vitest';
import { declaredParams } from '../../src/airflow/dag-params.js';
import { confProblems } from '../../src/setup/airflow-conf.js';

const sample = { jira_issue_key: 'SCR-1', source: 'lafa', run_type: 'DELTA', params: {}, environment: 'prod' };
const param = (value: unknown, schema: Record<string, unknown> = {}) => ({ __class: 'airflow.models.param.Param', value, description: null, schema });
const ALL = {
  jira_issue_key: param(null, { type: 'string' }),
  source: param(null, { type: 'string' }),
  run_type: param(null, { type: 'string', enum: ['DELTA', 'FULL_REFRESH'] }),
  params: param({}, { type: 'object' }),
  environment: param(null, { type: 'string' }),
};

describe('confProblems', () => {
  it('has nothing to say about a DAG without params', () => {
    expect(confProblems([], [sample])).toEqual([]);
  });

  it('accepts params that declare every conf key and accept the values sent', () => {
    expect(confProblems(declaredParams(ALL), [sample, { ...sample, run_type: 'FULL_REFRESH' }])).toEqual([]);
  });

  it('names the conf keys not declared, a value a schema refuses, a param required beyond the conf, and params not an object', () => {
    const { environment: _left, ...rest } = ALL;
    const declared = declaredParams({ ...rest, params: param(null, { type: 'string' }), region: param(null, { type: 'string' }) });
    expect(confProblems(declared, [sample, { ...sample, run_type: 'SINGLE_PRODUCT' }])).toEqual([
      'declares params but not the conf key environment',
      '`region` is required: the DAG declares it without a default',
      '`run_type` must be one of "DELTA", "FULL_REFRESH"',
      '`params` is declared with a type that is not a JSON object',
    ]);
  });
});
