import { readFileSync } from 'node:fs';
import ajvFormats from 'ajv-formats';
import nock from 'nock';
import { OpenAPIBackend, type Document } from 'openapi-backend';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { RunConf } from '../../src/airflow/gateway.js';
import { specsMissingReason } from '../sandbox/contract.js';
import { useNock } from '../support/nock.js';
import { apiRun, harness, ROOT } from './helpers.js';

/*
 * Every request the gateway makes, checked against Airflow's published spec (see ../shared/specs/SOURCES.md):
 * path, method, query parameters and body must be ones the real server routes and accepts.
 */

interface Sent {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
}

const conf: RunConf = { jira_issue_key: 'SCR-1', source: 'lafa', run_type: 'DELTA', params: {}, environment: 'dev' };

async function specFor(apiVersion: 'v1' | 'v2'): Promise<OpenAPIBackend> {
  const file = new URL(`../../../shared/specs/airflow-${apiVersion}.yaml`, import.meta.url);
  const definition = parse(readFileSync(file, 'utf8')) as Document;
  const api = new OpenAPIBackend({
    definition,
    apiRoot: apiVersion === 'v1' ? '/api/v1' : '/',
    quick: true,
    validate: true,
    // ajv-formats is CommonJS: under NodeNext its function is the `default` of the default import.
    customizeAjv: (ajv) => ajvFormats.default(ajv),
  });
  await api.init();
  return api;
}

function recordAll(apiVersion: 'v1' | 'v2', sent: Sent[]): nock.Scope {
  const record = (method: string) =>
    (uri: string, body: unknown): [number, unknown] => {
      const url = new URL(uri, ROOT);
      sent.push({ method, path: url.pathname, query: Object.fromEntries(url.searchParams), body });
      if (url.pathname.endsWith('/xcomEntries/return_value')) return [200, { key: 'return_value', value: {} }];
      if (url.pathname.endsWith('/dagRuns/list')) return [200, { dag_runs: [], total_entries: 0 }];
      if (url.pathname.endsWith('/taskInstances')) return [200, { task_instances: [{ task_id: 'run_pipeline', state: 'running' }], total_entries: 1 }];
      if (/\/taskInstances\/[^/]+$/.test(url.pathname)) return [200, apiVersion === 'v1' ? { task_id: 'run_pipeline', dag_run_id: 'jira__SCR-1__1', dag_id: 'scraper_lafa' } : { task_instances: [], total_entries: 0 }];
      if (url.pathname.endsWith('/version')) return [200, { version: apiVersion === 'v1' ? '2.10.5' : '3.1.0' }];
      if (url.pathname === '/auth/token') return [201, { access_token: 'jwt' }];
      if (/\/dags\/[^/]+$/.test(url.pathname)) return [200, { dag_id: 'scraper_lafa', is_paused: false }];
      return [200, apiRun('scraper_lafa', 'jira__SCR-1__1')];
    };
  return nock(ROOT)
    .persist()
    .get(/.*/)
    .reply(record('get'))
    .post(/.*/)
    .reply(record('post'))
    .patch(/.*/)
    .reply(record('patch'));
}

useNock();

const missing = { v1: specsMissingReason('airflow-v1.yaml'), v2: specsMissingReason('airflow-v2.yaml') };
for (const reason of new Set(Object.values(missing))) if (reason) console.warn(reason);

describe.each(['v1', 'v2'] as const)('requests on %s match the Airflow spec', (apiVersion) => {
  it.skipIf(missing[apiVersion] !== null)('uses only documented paths, parameters and bodies', async () => {
    const api = await specFor(apiVersion);
    const sent: Sent[] = [];
    recordAll(apiVersion, sent);
    const { gateway } = harness({ apiVersion, secrets: { airflowUser: 'u', airflowPass: 'p' } });

    await gateway.getDag('scraper_lafa');
    await gateway.trigger('scraper_lafa', 'jira__SCR-1__1', conf);
    await gateway.getDagRun('scraper_lafa', 'jira__SCR-1__1');
    await gateway.getDagRuns([{ dagId: 'scraper_lafa', dagRunId: 'jira__SCR-1__1' }], new Date('2025-01-05T10:00:00Z'));
    await gateway.getResult('scraper_lafa', 'jira__SCR-1__1');
    await gateway.getChangedDagRuns(['scraper_lafa'], new Date('2025-01-05T10:00:00Z'));
    await gateway.getInFlightRuns(['scraper_lafa']);
    await gateway.stopDagRun('scraper_lafa', 'jira__SCR-1__1');
    await gateway.version();

    const checked = sent.filter((request) => request.path !== '/auth/token');
    expect(checked.length).toBeGreaterThanOrEqual(8);
    for (const request of checked) {
      const operation = api.matchOperation({ method: request.method, path: request.path, headers: {} });
      expect(operation?.operationId, `${request.method} ${request.path}`).toBeDefined();
      const result = api.validateRequest({
        method: request.method,
        path: request.path,
        query: request.query,
        headers: { 'content-type': 'application/json' },
        ...(request.body === '' ? {} : { body: request.body }),
      });
      expect(result.errors ?? [], `${request.method} ${request.path}`).toEqual([]);
    }
  }, 60_000);
});
