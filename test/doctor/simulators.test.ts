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
