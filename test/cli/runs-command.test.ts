import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { openStore } from '../../src/store/sqlite-store.js';
import { fixedClock, testRuntime } from './runtime.js';

describe('runs', () => {
  let dir: string;
  let env: Record<string, string>;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'runs-cli-'));
    env = {
      RECONCILER_DB: join(dir, 'r.db'),
      JIRA_BASE_URL: 'https://jira.example.com',
      JIRA_USERNAME: 'bot@example.com',
      JIRA_API_TOKEN: 'tok',
      JIRA_PROJECTS: 'SCR',
      AIRFLOW_BASE_URL: 'https://airflow.example.com',
    };
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function fill(): Promise<void> {
    const store = await openStore(env.RECONCILER_DB!, { clock: fixedClock, command: 'test', lockWaitMs: 0 });
    const base = { source: 'alfabeta', runType: 'DELTA', environment: 'prod', params: '{"limit":5}', airflowDagId: 'scraper_alfabeta' };
    const first = store.insert({ ...base, jiraIssueKey: 'SCR-1', requestId: '100', airflowDagRunId: 'jira__SCR-1__100', state: 'pending' }, fixedClock.now());
    store.update(first.id, { state: 'success', itemCount: 4870, platformRunId: 'RUN-1', jiraPhase: 'finished' }, fixedClock.now());
    store.insert({ ...base, jiraIssueKey: 'SCR-1', requestId: '200', airflowDagRunId: 'jira__SCR-1__200', state: 'running' }, fixedClock.now());
    store.insert({ ...base, jiraIssueKey: 'SCR-2', requestId: 'created', airflowDagRunId: null, airflowDagId: null, state: 'invalid', error: 'Source: is empty' }, fixedClock.now());
    store.close();
  }

  it('prints an empty JSON array for an empty store', async () => {
    const runtime = testRuntime(env);
    expect(await main(['runs', '--json'], runtime)).toBe(0);
    expect(JSON.parse(runtime.out())).toEqual([]);
  });

  it('says so in plain text for an empty store', async () => {
    const runtime = testRuntime(env);
    expect(await main(['runs'], runtime)).toBe(0);
    expect(runtime.out()).toBe('No run records yet.\n');
  });

  it('lists a filled store newest first with the platform column names', async () => {
    await fill();
    const runtime = testRuntime(env);
    expect(await main(['runs', '--json'], runtime)).toBe(0);
    const rows = JSON.parse(runtime.out()) as Array<Record<string, unknown>>;
    expect(rows.map((r) => [r.jira_issue_key, r.request_id, r.attempt, r.state])).toEqual([
      ['SCR-2', 'created', 1, 'invalid'],
      ['SCR-1', '200', 2, 'running'],
      ['SCR-1', '100', 1, 'success'],
    ]);
    expect(rows[2]).toMatchObject({ airflow_dag_id: 'scraper_alfabeta', airflow_dag_run_id: 'jira__SCR-1__100', run_type: 'DELTA', params: { limit: 5 }, item_count: 4870, platform_run_id: 'RUN-1' });
  });

  it('filters by issue and state', async () => {
    await fill();
    const byIssue = testRuntime(env);
    await main(['runs', '--json', '--issue', 'scr-1'], byIssue);
    expect((JSON.parse(byIssue.out()) as unknown[]).length).toBe(2);
    const byState = testRuntime(env);
    await main(['runs', '--json', '--state', 'running', '--state', 'invalid'], byState);
    expect((JSON.parse(byState.out()) as Array<{ state: string }>).map((r) => r.state)).toEqual(['invalid', 'running']);
  });

  it('prints a table for people', async () => {
    await fill();
    const runtime = testRuntime(env);
    await main(['runs'], runtime);
    const lines = runtime.out().trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ISSUE\s+ATTEMPT\s+SOURCE\s+STATE/);
    expect(lines).toHaveLength(4);
    expect(runtime.out()).toContain('jira__SCR-1__200');
  });
});

describe('runs without upstream settings', () => {
  it('still reads the state file named by RECONCILER_DB, and says why', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'runs-cli-'));
    try {
      const runtime = testRuntime({ RECONCILER_DB: join(dir, 'r.db') });
      expect(await main(['runs', '--json'], runtime)).toBe(0);
      expect(JSON.parse(runtime.out())).toEqual([]);
      expect(runtime.err()).toContain('configuration is not complete');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
