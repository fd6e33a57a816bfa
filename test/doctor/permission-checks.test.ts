import { describe, expect, it } from 'vitest';
import { startAirflowSim } from '../../src/sandbox/airflow/index.js';
import { startJiraSim } from '../../src/sandbox/jira/server.js';
import { AIRFLOW_PASS, doctorAgainst, edited, goodAirflow, goodJira, JIRA_TOKEN, runDoctor, sandbox, useSandbox } from './helpers.js';

describe('doctor: the token\'s project permissions (nock)', () => {
  const box = useSandbox();

  it('passes a project where the account has all four, on its own line after the project', async () => {
    const run = await doctorAgainst(goodJira(), goodAirflow(), box.env);

    expect(run.code).toBe(0);
    expect(run.check('jira permissions SCR')).toMatchObject({
      status: 'PASS',
      detail: 'the account bot@example.com has Browse Projects, Edit Issues, Transition Issues, Add Comments',
    });
    const names = run.out.split('\n').map((line) => /^(?:PASS|FAIL) {2}(\S+(?: \S+)*?) {2}/.exec(line)?.[1]);
    expect(names.indexOf('jira permissions SCR')).toBe(names.indexOf('jira project SCR') + 1);
  });

  it('names each missing permission, what it is for, and what an admin must grant', async () => {
    const world = edited(goodJira(), (w) => (w.withheld = { SCR: ['EDIT_ISSUES', 'ADD_COMMENTS'] }));
    const run = await doctorAgainst(world, goodAirflow(), box.env);

    expect(run.code).toBe(1);
    const line = run.check('jira permissions SCR');
    expect(line.status).toBe('FAIL');
    expect(line.detail).toBe(
      'the account bot@example.com lacks Edit Issues, Add Comments in SCR ' +
        '(needs Edit Issues to write Airflow Run ID, Run Status and Platform Run ID; Add Comments to comment on the tickets)',
    );
    expect(line.fix).toContain('a Jira admin must grant the account bot@example.com Edit Issues, Add Comments in project SCR');
    expect(line.fix).toContain('Project settings > Permissions');
  });

  it('is skipped for a project Jira does not know, which fails its own line', async () => {
    const world = edited(goodJira(), (w) => (w.projects = { SCR: 200, OPS: 404 }));
    const run = await doctorAgainst(world, goodAirflow(), { ...box.env, JIRA_PROJECTS: 'SCR,OPS' });

    expect(run.check('jira permissions SCR').status).toBe('PASS');
    expect(run.check('jira permissions OPS')).toMatchObject({ status: 'FAIL', detail: 'skipped: needs the project OPS' });
    expect(run.check('jira permissions OPS').fix).toContain("first make 'jira project OPS' pass");
  });
});

describe.each(['cloud', 'datacenter'] as const)('doctor: permissions against the Jira simulator (%s)', (deployment) => {
  it('passes by default and fails, naming what is withheld, per project', async () => {
    const credentials = deployment === 'cloud' ? { users: [{ email: 'bot@example.com', token: JIRA_TOKEN }] } : { patUsers: [{ username: 'bot', pat: JIRA_TOKEN }] };
    const jira = await startJiraSim({ deployment, projects: ['SCR', 'OPS'], withheldPermissions: { OPS: ['TRANSITION_ISSUES'] }, ...credentials });
    const airflow = await startAirflowSim({ users: [{ username: 'reconciler', password: AIRFLOW_PASS }], dags: [{ dagId: 'scraper_alfabeta' }, { dagId: 'scraper_quebec' }, { dagId: 'scraper_lafa' }] });
    const auth = deployment === 'cloud' ? {} : { JIRA_PAT: JIRA_TOKEN, JIRA_USERNAME: undefined, JIRA_API_TOKEN: undefined };
    const box = sandbox({ JIRA_BASE_URL: jira.url, AIRFLOW_BASE_URL: airflow.url, JIRA_PROJECTS: 'SCR,OPS', ...auth });
    try {
      const run = await runDoctor(box.env);

      expect(run.check('jira permissions SCR').status).toBe('PASS');
      const ops = run.check('jira permissions OPS');
      expect(ops.status).toBe('FAIL');
      expect(ops.detail).toContain('lacks Transition Issues in OPS (needs Transition Issues to move tickets to Completed or Failed - Needs Investigation)');
      expect(ops.fix).toContain('Transition Issues in project OPS');
      const prefix = deployment === 'cloud' ? '/rest/api/3' : '/rest/api/2';
      const asked = jira.log.entries.filter((entry) => entry.path === `${prefix}/mypermissions`);
      expect(asked.map((entry) => new URLSearchParams(entry.query).get('projectKey'))).toEqual(['SCR', 'OPS']);
    } finally {
      await jira.close();
      await airflow.close();
      box.cleanup();
    }
  });
});
