import { describe, expect, it } from 'vitest';
import { readConfig } from '../../src/config/read-config.js';
import { planJira, type Plan } from '../../src/setup/plan.js';
import type { Site, SiteField } from '../../src/setup/site.js';
import { wantedFields, wantedStatuses, type WantedStatus } from '../../src/setup/wanted.js';

const ENV = { JIRA_BASE_URL: 'https://example.atlassian.net', JIRA_USERNAME: 'a@example.com', JIRA_API_TOKEN: 't', JIRA_PROJECTS: 'SCR', AIRFLOW_BASE_URL: 'https://airflow.example.com' };
const config = readConfig(ENV, null);
const FIELDS = wantedFields(config);
const ALL_STATUSES = ['Open', 'Ready to Run', 'Completed', 'Failed - Needs Investigation', 'Cancelled'];

const COMPLETE: SiteField[] = [
  { id: 'customfield_10001', name: 'Source', kind: 'select' },
  { id: 'customfield_10002', name: 'Run Type', kind: 'select' },
  { id: 'customfield_10003', name: 'Parameters', kind: 'textarea' },
  { id: 'customfield_10004', name: 'Environment', kind: 'select' },
  { id: 'customfield_10005', name: 'Airflow Run ID', kind: 'textfield' },
  { id: 'customfield_10006', name: 'Run Status', kind: 'select' },
  { id: 'customfield_10007', name: 'Platform Run ID', kind: 'textfield' },
];
const OPTIONS: Record<string, string[]> = {
  customfield_10001: ['alfabeta', 'quebec', 'lafa'],
  customfield_10002: ['FULL_REFRESH', 'DELTA', 'SINGLE_PRODUCT'],
  customfield_10004: ['dev', 'staging', 'prod'],
  customfield_10006: ['queued', 'running', 'success', 'failed', 'cancelled', 'invalid', 'waiting'],
};

function site(overrides: Partial<Site> = {}): Site {
  const fields = overrides.fields ?? COMPLETE;
  return {
    flavour: 'cloud',
    fields,
    options: new Map(fields.filter((f) => f.kind === 'select').map((f) => [f.id, { ok: true, value: { contextId: '10', values: OPTIONS[f.id] ?? [] } }])),
    statuses: ALL_STATUSES,
    workflows: new Map([['SCR', { ok: true, value: { statuses: ALL_STATUSES, initial: 'Open' } }]]),
    screens: { ok: true, value: [{ id: '1', name: 'Default Screen', tabId: '10000', fields: fields.map((f) => f.id) }] },
    ...overrides,
  };
}

function plan(on: Site): Plan {
  const statuses = new Map<string, WantedStatus[]>([['SCR', wantedStatuses(config, 'SCR', 'Open')]]);
  return planJira({ fields: FIELDS, statuses, site: on });
}

describe('planJira', () => {
  it('plans nothing on a site that has everything, finding the fields by name when the configured ids are not Jira\'s', () => {
    const result = plan(site());
    expect(result.steps).toEqual([]);
    expect(result.manual).toEqual([]);
    expect(result.ids).toEqual({
      source: 'customfield_10001', runType: 'customfield_10002', params: 'customfield_10003', environment: 'customfield_10004',
      airflowRunId: 'customfield_10005', runStatus: 'customfield_10006', platformRunId: 'customfield_10007',
    });
  });

  it('prefers the configured id over a field of the same name', () => {
    const withConfigured = [...COMPLETE, { id: 'customfield_run_status', name: 'Run state', kind: 'select' as const }];
    const on = site({ fields: withConfigured });
    on.options.set('customfield_run_status', { ok: true, value: { contextId: '20', values: OPTIONS.customfield_10006! } });
    on.screens = { ok: true, value: [{ id: '1', name: 'Default Screen', tabId: '10000', fields: withConfigured.map((f) => f.id) }] };
    expect(plan(on).ids.runStatus).toBe('customfield_run_status');
  });

  it('adds only the missing options, waiting included, in one step per field', () => {
    const on = site();
    on.options.set('customfield_10006', { ok: true, value: { contextId: '60', values: ['queued', 'running', 'success', 'failed', 'cancelled', 'invalid'] } });
    expect(plan(on).steps).toEqual([expect.objectContaining({ kind: 'addOptions', values: ['waiting'], contextId: '60' })]);
  });

  it('changes no field of the wrong type: it names what to do instead', () => {
    const on = site({ fields: COMPLETE.map((f) => (f.name === 'Run Type' ? { ...f, kind: 'textfield' as const } : f)) });
    const result = plan(on);
    expect(result.steps).toEqual([]);
    expect(result.manual).toEqual([expect.stringContaining("field 'Run Type' (customfield_10002) is single-line text, expected single select")]);
    expect(result.ids.runType).toBeUndefined();
  });

  it('creates a missing field with its options and screen place, and a missing status; the workflow is an admin\'s', () => {
    const on = site({ fields: COMPLETE.filter((f) => f.name !== 'Environment'), statuses: ['Open', 'Ready to Run', 'Completed', 'Failed - Needs Investigation'] });
    on.workflows.set('SCR', { ok: true, value: { statuses: ['Open', 'Ready to Run', 'Completed', 'Failed - Needs Investigation'], initial: 'Open' } });
    const result = plan(on);
    expect(result.steps.map((step) => step.kind)).toEqual(['createField', 'addOptions', 'addToScreen', 'createStatus']);
    expect(result.manual).toEqual([expect.stringMatching(/add status 'Cancelled' and a transition to it from 'Ready to Run'/)]);
  });

  it('on Data Center, names the options and statuses an admin adds, as there is no REST API for them', () => {
    const on = site({ flavour: 'datacenter', fields: COMPLETE.filter((f) => f.name !== 'Source'), statuses: ['Open', 'Ready to Run', 'Failed - Needs Investigation', 'Cancelled'] });
    const result = plan(on);
    expect(result.steps.map((step) => step.kind)).toEqual(['createField', 'addToScreen']);
    expect(result.manual).toEqual([
      expect.stringMatching(/^add options to 'Source' .*add alfabeta, quebec, lafa$/),
      expect.stringMatching(/^create status 'Completed' .*category Done$/),
    ]);
  });

  it('says what it could not read instead of guessing', () => {
    const result = plan(site({ screens: { ok: false, why: 'Jira refused the read (403)' }, workflows: new Map([['SCR', { ok: false, why: 'Jira refused the read (403)' }]]) }));
    expect(result.steps).toEqual([]);
    expect(result.manual).toHaveLength(2);
    expect(result.manual[0]).toMatch(/^screens not read/);
    expect(result.manual[1]).toMatch(/^project SCR's workflow not read/);
  });
});

describe('planJira with a running status configured', () => {
  it('wants the running status too, reached from Ready to Run, and the final statuses from both', () => {
    const withRunning = readConfig({ ...ENV }, { path: 'c.yaml', text: 'jira:\n  statuses:\n    running: Running\n' });
    const wanted = wantedStatuses(withRunning, 'SCR', 'Open');
    expect(wanted.map((status) => [status.name, status.from])).toEqual([
      ['Ready to Run', ['Open', 'Completed', 'Failed - Needs Investigation', 'Cancelled']],
      ['Running', ['Ready to Run']],
      ['Completed', ['Ready to Run', 'Running']],
      ['Failed - Needs Investigation', ['Ready to Run', 'Running']],
      ['Cancelled', ['Ready to Run', 'Running']],
    ]);
    const result = planJira({ fields: FIELDS, statuses: new Map([['SCR', wanted]]), site: site() });
    expect(result.steps).toEqual([expect.objectContaining({ kind: 'createStatus', status: expect.objectContaining({ name: 'Running', category: 'IN_PROGRESS' }) })]);
    expect(result.manual).toEqual([expect.stringContaining("add status 'Running' and a transition to it from 'Ready to Run'")]);
  });
});
