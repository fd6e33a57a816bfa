import { expect } from 'vitest';
import { completeConfig } from '../../src/config/read-config.js';
import { FileConfig, type Config, type Secrets } from '../../src/config/schema.js';
import { UpstreamError } from '../../src/http/errors.js';
import type { JiraGateway } from '../../src/jira/gateway.js';
import { createJiraGateway } from '../../src/jira/jira-gateway.js';
import { fakeClock, type FakeClock } from '../support/fake-clock.js';
import { captureLog } from '../support/log-capture.js';

export const JIRA = 'https://jira.example.com';
export const NOW = new Date('2025-01-05T12:00:00.000Z');
export const SECRETS: Secrets = { jiraUsername: 'bot@example.com', jiraApiToken: 'secret-api-token' };

export function testConfig(options: { secrets?: Secrets; retries?: number; pageSize?: number } = {}): Config {
  const file = FileConfig.parse({});
  return {
    ...completeConfig(file, {}, null),
    http: { ...file.http, retries: options.retries ?? 4 },
    jira: { ...file.jira, baseUrl: JIRA, projects: ['SCR', 'OPS'], pageSize: options.pageSize ?? 50 },
    airflow: { ...file.airflow, baseUrl: 'https://airflow.example.com', uiBaseUrl: 'https://airflow.example.com' },
    secrets: options.secrets ?? SECRETS,
    configFile: null,
  };
}

export interface Harness {
  gateway: JiraGateway;
  clock: FakeClock;
  logs: () => string;
  observed: string[];
}

export function harness(options: Parameters<typeof testConfig>[0] = {}): Harness {
  const { log, text } = captureLog();
  const clock = fakeClock(NOW);
  const observed: string[] = [];
  const observer = { request: (_upstream: string, code: string) => void observed.push(code) };
  const gateway = createJiraGateway({ config: testConfig(options), clock, log, observer });
  return { gateway, clock, logs: text, observed };
}

export async function failure(promise: Promise<unknown>): Promise<UpstreamError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(UpstreamError);
  return error as UpstreamError;
}

// nock 14 hangs on a plain-object error; a real Error with a code behaves like a dropped socket.
export function connectionReset(): Error {
  return Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
}

export interface RawHistory {
  id: string;
  created: string;
  items: Record<string, string | null>[];
}

export function statusChange(id: string, created: string, from: string, to: string): RawHistory {
  return { id, created, items: [{ field: 'status', fromString: from, toString: to }] };
}

/** A raw issue as Jira Cloud v3 returns it, with the default field ids. */
export function rawIssue(
  key: string,
  options: { id?: string; status?: string; fields?: Record<string, unknown>; histories?: RawHistory[]; total?: number } = {},
): Record<string, unknown> {
  const histories = options.histories ?? [];
  return {
    id: options.id ?? String(10_000 + Number(key.split('-')[1] ?? 0)),
    key,
    fields: {
      status: { name: options.status ?? 'Ready to Run', id: '10001' },
      updated: '2025-01-05T11:58:00.000+0000',
      created: '2025-01-04T09:00:00.000+0000',
      customfield_source: { id: '1', value: 'alfabeta' },
      customfield_run_type: { id: '2', value: 'DELTA' },
      customfield_environment: { id: '3', value: 'staging' },
      customfield_params: adfDoc(['{"since": "2025-01-01"}']),
      customfield_airflow_run_id: null,
      customfield_run_status: null,
      customfield_run_id: null,
      ...options.fields,
    },
    changelog: { startAt: 0, maxResults: histories.length, total: options.total ?? histories.length, histories },
  };
}

export function adfDoc(paragraphs: string[]): Record<string, unknown> {
  return {
    type: 'doc',
    version: 1,
    content: paragraphs.map((text) => ({ type: 'paragraph', content: text ? [{ type: 'text', text }] : [] })),
  };
}

export const SEARCH = '/rest/api/3/search/jql';
export const READ_FIELDS = [
  'customfield_source',
  'customfield_run_type',
  'customfield_params',
  'customfield_environment',
  'customfield_airflow_run_id',
  'customfield_run_status',
  'customfield_run_id',
  'status',
  'updated',
  'created',
  'labels',
  'summary',
];
export const BASIC = `Basic ${Buffer.from(`${SECRETS.jiraUsername}:${SECRETS.jiraApiToken}`).toString('base64')}`;

export interface SearchBody {
  jql: string;
  fields: string[];
  expand: string;
  maxResults: number;
  nextPageToken?: string;
  reconcileIssues?: number[];
}

export function page(issues: unknown[], nextPageToken?: string) {
  return nextPageToken ? { issues, nextPageToken, isLast: false } : { issues, isLast: true };
}
