import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { decodeXcomValue } from '../../src/airflow/result.js';
import { useNock } from '../support/nock.js';
import { harness, ROOT } from './helpers.js';

const XCOM = '/dags/scraper_lafa/dagRuns/jira__SCR-12__1/taskInstances/run_pipeline/xcomEntries/return_value';
const result = { run_id: 'RUN-2025-01-05-0001', item_count: 4870, error: null };

useNock();

describe('getResult', () => {
  it.each(['v1', 'v2'] as const)('asks %s for the configured XCom with stringify=false', async (apiVersion) => {
    const { gateway } = harness({ apiVersion });
    const scope = nock(`${ROOT}/api/${apiVersion}`)
      .get(XCOM)
      .query({ stringify: 'false' })
      .reply(200, { key: 'return_value', task_id: 'run_pipeline', value: result });

    expect(await gateway.getResult('scraper_lafa', 'jira__SCR-12__1')).toEqual({ kind: 'found', value: result });
    scope.done();
  });

  it('parses a value that arrives as a JSON string', async () => {
    const { gateway } = harness({ apiVersion: 'v2' });
    const scope = nock(`${ROOT}/api/v2`)
      .get(XCOM)
      .query(true)
      .reply(200, { key: 'return_value', value: JSON.stringify(result) });

    expect(await gateway.getResult('scraper_lafa', 'jira__SCR-12__1')).toEqual({ kind: 'found', value: result });
    scope.done();
  });

  it('parses a Python repr string', async () => {
    const { gateway } = harness({ apiVersion: 'v1' });
    const scope = nock(`${ROOT}/api/v1`)
      .get(XCOM)
      .query(true)
      .reply(200, { key: 'return_value', value: "{'run_id': 'RUN-2025-01-05-0001', 'item_count': 4870, 'error': None}" });

    expect(await gateway.getResult('scraper_lafa', 'jira__SCR-12__1')).toEqual({ kind: 'found', value: result });
    scope.done();
  });

  it('reports a missing XCom on 404, naming the task and key', async () => {
    const { gateway } = harness();
    const scope = nock(`${ROOT}/api/v1`).get(XCOM).query(true).reply(404, { title: 'XCom entry not found', status: 404 });

    expect(await gateway.getResult('scraper_lafa', 'jira__SCR-12__1')).toEqual({
      kind: 'missing',
      reason: 'the task run_pipeline has no return_value XCom',
    });
    scope.done();
  });
});

describe('decodeXcomValue', () => {
  it('keeps structured values as they are', () => {
    expect(decodeXcomValue({ a: 1 })).toEqual({ a: 1 });
    expect(decodeXcomValue(42)).toBe(42);
  });

  it('gives back text that is neither JSON nor a Python literal', () => {
    expect(decodeXcomValue('RUN-1 finished')).toBe('RUN-1 finished');
    expect(decodeXcomValue("{'a': object at 0x7f}")).toBe("{'a': object at 0x7f}");
  });

  it('unwraps a JSON string encoded twice', () => {
    expect(decodeXcomValue(JSON.stringify(JSON.stringify({ run_id: 'R-1' })))).toEqual({ run_id: 'R-1' });
  });

  it('reads a Python None as null', () => {
    expect(decodeXcomValue('None')).toBeNull();
  });
});
