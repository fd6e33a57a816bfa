import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startAirflowSim } from '../../src/sandbox/airflow/index.js';
import { startJiraSim } from '../../src/sandbox/jira/server.js';
import { AIRFLOW_PASS, JIRA_TOKEN, runDoctor, sandbox } from './helpers.js';

const DAGS = [{ dagId: 'scraper_alfabeta' }, { dagId: 'scraper_quebec' }, { dagId: 'scraper_lafa', isPaused: true }];

/** The built-in simulators on loopback: doctor against something that behaves like the real servers. */
describe.each(['v1', 'v2'] as const)('doctor against the simulators (Airflow %s)', (apiVersion) => {
  it('passes what is right, fails the paused DAG, and only reads', async () => {
    const jira = await startJiraSim({ users: [{ email: 'bot@example.com', token: JIRA_TOKEN }] });
    const airflow = await startAirflowSim({ apiVersion, users: [{ username: 'reconciler', password: AIRFLOW_PASS }], dags: DAGS });
    const box = sandbox({ JIRA_BASE_URL: jira.url, AIRFLOW_BASE_URL: airflow.url, AIRFLOW_API_VERSION: apiVersion });
    try {
      jira.createIssue({ project: 'SCR', status: 'Ready to Run', source: 'lafa', runType: 'DELTA', environment: 'dev', params: {} });

      const run = await runDoctor(box.env);

      expect(run.code).toBe(1);
      const failed = run.out.split('\n').filter((line) => line.startsWith('FAIL'));
      expect(failed).toHaveLength(1);
      expect(run.check('airflow dag scraper_lafa').detail).toContain('is paused');
      expect(run.check('jira transition to Completed').detail).toMatch(/^SCR-1: /);
      const writes = [...jira.log.entries, ...airflow.log.entries].filter((entry) => entry.method !== 'GET');
      expect(writes.map((entry) => `${entry.method} ${entry.path}`)).toEqual(apiVersion === 'v2' ? ['POST /auth/token'] : []);
    } finally {
      await jira.close();
      await airflow.close();
      box.cleanup();
    }
  });
});

describe('doctor against the Jira Data Center simulator', () => {
  it('detects Data Center, reads the select options off the create screens, and fails only the paused DAG', async () => {
    const jira = await startJiraSim({ deployment: 'datacenter', patUsers: [{ username: 'reconciler', pat: JIRA_TOKEN }] });
    const airflow = await startAirflowSim({ users: [{ username: 'reconciler', password: AIRFLOW_PASS }], dags: DAGS });
    const box = sandbox({ JIRA_BASE_URL: jira.url, AIRFLOW_BASE_URL: airflow.url, JIRA_PAT: JIRA_TOKEN, JIRA_USERNAME: undefined, JIRA_API_TOKEN: undefined });
    try {
      jira.createIssue({ project: 'SCR', status: 'Ready to Run', source: 'lafa', runType: 'DELTA', environment: 'dev', params: {} });

      const run = await runDoctor(box.env);

      const failed = run.out.split('\n').filter((line) => line.startsWith('FAIL'));
      expect(failed, run.out).toHaveLength(1);
      expect(run.check('jira deployment').detail).toContain('deploymentType DataCenter');
      expect(run.check('jira field Source').detail).toContain('with alfabeta, quebec, lafa');
      expect(run.check('jira transition to Completed').detail).toMatch(/^SCR-1: /);
      expect(jira.log.entries.every((entry) => entry.method === 'GET' && entry.path.startsWith('/rest/api/2/'))).toBe(true);
    } finally {
      await jira.close();
      await airflow.close();
      box.cleanup();
    }
  });

  it('fails the deployment when the Cloud simulator is given a PAT', async () => {
    const jira = await startJiraSim();
    const airflow = await startAirflowSim({ users: [{ username: 'reconciler', password: AIRFLOW_PASS }], dags: DAGS });
    const box = sandbox({ JIRA_BASE_URL: jira.url, AIRFLOW_BASE_URL: airflow.url, JIRA_PAT: JIRA_TOKEN, JIRA_USERNAME: undefined, JIRA_API_TOKEN: undefined });
    try {
      const run = await runDoctor(box.env);

      expect(run.check('jira deployment')).toMatchObject({ status: 'FAIL' });
      expect(run.check('jira deployment').detail).toContain('is Jira Cloud (/rest/api/3/serverInfo says deploymentType Cloud');
      expect(run.check('jira deployment').fix).toContain('JIRA_API_TOKEN');
    } finally {
      await jira.close();
      await airflow.close();
      box.cleanup();
    }
  });
});

describe('doctor for environments with their own Airflow, and notifications', () => {
  it("checks each environment's Airflow with its own credentials, and the webhook without posting to it", async () => {
    const jira = await startJiraSim({ users: [{ email: 'bot@example.com', token: JIRA_TOKEN }] });
    const airflow = await startAirflowSim({ users: [{ username: 'reconciler', password: AIRFLOW_PASS }] });
    const prod = await startAirflowSim({ apiVersion: 'v2', users: [{ username: 'prod-bot', password: 'prod-secret' }], dags: [{ dagId: 'scraper_alfabeta' }] });
    const box = sandbox({ JIRA_BASE_URL: jira.url, AIRFLOW_BASE_URL: airflow.url, AIRFLOW_PROD_USER: 'prod-bot', AIRFLOW_PROD_PASS: 'prod-secret', SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T0/B0/secret' });
    const file = join(box.dir, 'config.json');
    writeFileSync(file, JSON.stringify({
      environments: { dev: {}, staging: {}, prod: { airflowBaseUrl: prod.url, airflowApiVersion: 'v2' } },
      notifications: { slack: { on: ['failed'] } },
    }));
    try {
      jira.createIssue({ project: 'SCR', status: 'Ready to Run', source: 'lafa', runType: 'DELTA', environment: 'dev', params: {} });

      const run = await runDoctor({ ...box.env, RECONCILER_CONFIG: file });

      expect(run.check('airflow api (prod)').status, run.out).toBe('PASS');
      expect(run.check('airflow dag scraper_alfabeta (prod)').status).toBe('PASS');
      // The prod Airflow has no scraper_quebec: its check fails, naming prod's own setting.
      expect(run.check('airflow dag scraper_quebec (prod)').status).toBe('FAIL');
      expect(run.out).not.toContain('prod-secret');
      expect(run.out).not.toContain('B0/secret');
      expect(run.out.split('\n').some((line) => line.startsWith('PASS') && /slack/i.test(line))).toBe(true);
      expect(prod.log.entries.filter((entry) => entry.method !== 'GET').map((entry) => entry.path)).toEqual(['/auth/token']);
    } finally {
      await Promise.all([jira.close(), airflow.close(), prod.close()]);
      box.cleanup();
    }
  });
});

describe('doctor with a running status', () => {
  async function doctorWith(running: string): Promise<Awaited<ReturnType<typeof runDoctor>>> {
    const jira = await startJiraSim({ users: [{ email: 'bot@example.com', token: JIRA_TOKEN }] });
    const airflow = await startAirflowSim({ users: [{ username: 'reconciler', password: AIRFLOW_PASS }] });
    const box = sandbox({ JIRA_BASE_URL: jira.url, AIRFLOW_BASE_URL: airflow.url });
    const file = join(box.dir, 'config.json');
    writeFileSync(file, JSON.stringify({ jira: { statuses: { running } } }));
    try {
      jira.createIssue({ project: 'SCR', status: 'Ready to Run', source: 'lafa', runType: 'DELTA', environment: 'dev', params: {} });
      return await runDoctor({ ...box.env, RECONCILER_CONFIG: file });
    } finally {
      await jira.close();
      await airflow.close();
      box.cleanup();
    }
  }

  it('checks the status exists and that the move to it from Ready to Run carries the trigger write', async () => {
    const run = await doctorWith('Running');
    expect(run.check('jira statuses').status, run.out).toBe('PASS');
    expect(run.check('jira statuses').detail).toContain('Running');
    expect(run.check('jira transition to Running')).toMatchObject({ status: 'PASS' });
    expect(run.check('jira transition to Running').detail).toMatch(/^SCR-1: 'Start run' \(id 61\); Airflow Run ID, Run Status sent with the move; comment sent with the move/);
    expect(run.check('jira transition to Completed').status).toBe('PASS');
  });

  it('fails a running status the workflow does not have, naming the setting to change', async () => {
    const run = await doctorWith('In Progress');
    expect(run.check('jira statuses')).toMatchObject({ status: 'FAIL' });
    expect(run.check('jira statuses').detail).toContain("'In Progress'");
    expect(run.check('jira statuses').fix).toContain('jira.statuses.running');
  });
});
