import { describe, expect, it } from 'vitest';
import nock from 'nock';
import { doctorAgainst, edited, goodAirflow, goodJira, JIRA, mockAirflow, rawField, rawTransition, runDoctor, useSandbox, type JiraWorld } from './helpers.js';

const box = useSandbox();

/** Runs doctor against this Jira and a healthy Airflow; every mocked request must have been made. */
function withJira(world: JiraWorld, env: Record<string, string> = box.env, authorization?: string) {
  return doctorAgainst(world, goodAirflow(), env, authorization);
}

function change(edit: (world: JiraWorld) => void): JiraWorld {
  return edited(goodJira(), edit);
}

describe('doctor: Jira credentials', () => {
  it('fails on 401 with a hint about JIRA_USERNAME/JIRA_API_TOKEN, skips the Jira checks that need it, still checks Airflow', async () => {
    const run = await withJira(change((w) => (w.myself = [401, ''])));

    expect(run.code).toBe(1);
    expect(run.check('jira credentials')).toMatchObject({ status: 'FAIL', detail: 'jira answered HTTP 401' });
    expect(run.check('jira credentials').fix).toContain('JIRA_USERNAME/JIRA_API_TOKEN');
    for (const name of ['jira project SCR', 'jira field Source', 'jira statuses', 'jira transition to Completed']) {
      expect(run.check(name)).toMatchObject({ status: 'FAIL', detail: 'skipped: needs Jira credentials' });
    }
    expect(run.check('airflow dag scraper_lafa').status).toBe('PASS');
    expect(run.check('jira permissions SCR')).toMatchObject({ status: 'FAIL', detail: 'skipped: needs Jira credentials' });
    expect(run.out).toContain('14 of 22 checks failed (13 of them skipped after an earlier failure).');
  });

  it('names JIRA_PAT when the personal access token is refused', async () => {
    const env: Record<string, string> = { ...box.env, JIRA_PAT: 'pat-value-4411' };
    delete env.JIRA_USERNAME;
    delete env.JIRA_API_TOKEN;
    nock(`${JIRA}/rest/api/2`).get('/serverInfo').reply(200, { version: '9.12.15', deploymentType: 'DataCenter' });
    const jira = nock(`${JIRA}/rest/api/2`).matchHeader('authorization', 'Bearer pat-value-4411');
    jira.get('/myself').reply(401, '');
    const airflow = mockAirflow(goodAirflow());
    const run = await runDoctor(env);

    jira.done();
    airflow.done();
    expect(run.check('jira deployment').detail).toContain('Jira Data Center, REST v2 with JIRA_PAT');
    expect(run.out).not.toContain('pat-value-4411');
    expect(run.check('jira credentials').fix).toContain('JIRA_PAT');
  });
});

describe('doctor: Jira projects, fields and statuses', () => {
  it('fails an unknown project, hints at JIRA_PROJECTS, and skips the transition checks', async () => {
    const run = await withJira(change((w) => (w.projects = { SCR: 200, OPS: 404 })), { ...box.env, JIRA_PROJECTS: 'SCR,OPS' });

    expect(run.code).toBe(1);
    expect(run.check('jira project SCR').status).toBe('PASS');
    const ops = run.check('jira project OPS');
    expect(ops.status).toBe('FAIL');
    expect(ops.detail).toContain("No project could be found with key 'OPS'");
    expect(ops.fix).toContain('JIRA_PROJECTS');
    expect(run.check('jira transition to Completed').detail).toBe('skipped: needs every configured project');
  });

  it('fails a missing field and says which setting to change', async () => {
    const run = await withJira(change((w) => (w.fields = w.fields.filter((field) => field.id !== 'customfield_run_id'))));

    expect(run.code).toBe(1);
    const field = run.check('jira field Platform Run ID');
    expect(field).toMatchObject({ status: 'FAIL', detail: 'Jira has no field customfield_run_id' });
    expect(field.fix).toContain('jira.fields.platformRunId');
  });

  it('points at the field of that name when the configured id is wrong', async () => {
    const world = change((w) => {
      w.fields = w.fields.filter((field) => field.id !== 'customfield_run_id');
      w.fields.push(rawField('customfield_10042', 'Platform Run ID', 'textfield'));
    });
    const run = await withJira(world);

    expect(run.check('jira field Platform Run ID').fix).toContain('set jira.fields.platformRunId: customfield_10042');
  });

  it('fails a field of the wrong type', async () => {
    const world = change((w) => {
      w.fields = w.fields.map((field) => (field.id === 'customfield_params' ? rawField('customfield_params', 'Parameters', 'textfield') : field));
    });
    const run = await withJira(world);

    expect(run.code).toBe(1);
    const params = run.check('jira field Parameters');
    expect(params.status).toBe('FAIL');
    expect(params.detail).toContain('is a single-line text, expected multi-line text');
    expect(params.fix).toContain('jira.fields.params');
  });

  it('accepts Source as a text field', async () => {
    const world = change((w) => {
      w.fields = w.fields.map((field) => (field.id === 'customfield_source' ? rawField('customfield_source', 'Source', 'textfield') : field));
    });
    const run = await withJira(world);

    expect(run.code).toBe(0);
    expect(run.check('jira field Source').detail).toContain('single-line text');
  });

  it('fails a select field that lacks an expected option', async () => {
    const run = await withJira(change((w) => (w.options.customfield_environment = ['dev', 'staging'])));

    expect(run.code).toBe(1);
    const environment = run.check('jira field Environment');
    expect(environment.status).toBe('FAIL');
    expect(environment.detail).toContain('missing option prod');
    expect(environment.fix).toContain("add or enable prod in the field's context");
  });

  it('passes with a note when the options cannot be read without Administer Jira (403)', async () => {
    const run = await withJira(change((w) => (w.contextStatus = 403)));

    expect(run.code).toBe(0);
    expect(run.check('jira field Run Status')).toMatchObject({ status: 'PASS' });
    expect(run.check('jira field Run Status').detail).toContain('options not checked: reading them needs the Administer Jira permission');
  });

  it('fails a missing status and names the config key', async () => {
    const run = await withJira(change((w) => (w.statuses = w.statuses.filter((name) => name !== 'Completed'))));

    expect(run.code).toBe(1);
    const statuses = run.check('jira statuses');
    expect(statuses).toMatchObject({ status: 'FAIL', detail: "Jira has no status 'Completed'" });
    expect(statuses.fix).toContain('jira.statuses.completed');
  });
});

describe('doctor: transitions and screens', () => {
  it('fails when no transition leads to Completed, listing the targets there are', async () => {
    const world = change((w) => (w.transitions = [rawTransition('21', 'Start', 'In Progress'), rawTransition('41', 'Give up', 'Failed - Needs Investigation')]));
    const run = await withJira(world);

    expect(run.code).toBe(1);
    const completed = run.check('jira transition to Completed');
    expect(completed.status).toBe('FAIL');
    expect(completed.detail).toBe('SCR-7: no transition from Ready to Run to Completed (targets offered: In Progress, Failed - Needs Investigation)');
    expect(completed.fix).toContain("add a transition from 'Ready to Run' to 'Completed'");
    expect(run.check('jira transition to Failed - Needs Investigation').status).toBe('PASS');
  });

  it('says whether the writes go with the move or by an edit', async () => {
    const run = await withJira(goodJira());

    expect(run.check('jira transition to Completed').detail).toBe(
      "SCR-7: 'Finish' (id 31); Run Status, Platform Run ID sent with the move; comment sent with the move",
    );
    expect(run.check('jira transition to Failed - Needs Investigation').detail).toBe(
      "SCR-7: 'Give up' (id 41); Run Status, Platform Run ID set by an edit before it; comment posted after the move (its screen has no Comment field)",
    );
  });

  it('fails when a field the daemon writes is neither on the edit screen nor on the transition screen', async () => {
    const run = await withJira(change((w) => (w.editable = ['summary', 'customfield_airflow_run_id', 'customfield_run_id'])));

    expect(run.code).toBe(1);
    expect(run.check('jira edit screen')).toMatchObject({ status: 'FAIL', detail: 'SCR-7: Run Status (customfield_run_status) cannot be set by an edit' });
    expect(run.check('jira transition to Completed').status).toBe('PASS');
    const failed = run.check('jira transition to Failed - Needs Investigation');
    expect(failed.status).toBe('FAIL');
    expect(failed.detail).toContain('Run Status neither on its screen nor editable');
  });

  it('fails a transition whose screen requires a field the daemon does not set', async () => {
    const finish = rawTransition('31', 'Finish', 'Completed', ['comment']);
    (finish.fields as Record<string, unknown>).resolution = { required: true, name: 'Resolution', hasDefaultValue: false };
    const run = await withJira(change((w) => (w.transitions = [finish, rawTransition('41', 'Give up', 'Failed - Needs Investigation')])));

    const completed = run.check('jira transition to Completed');
    expect(completed.status).toBe('FAIL');
    expect(completed.detail).toContain('its screen requires Resolution (resolution)');
    expect(completed.fix).toContain('give Resolution (resolution) a default value');
  });

  it('passes the screen and transition checks as not checked when no ticket is in Ready to Run', async () => {
    const run = await withJira(change((w) => (w.sample = null)));

    expect(run.code).toBe(0);
    for (const name of ['jira edit screen', 'jira transition to Completed', 'jira transition to Failed - Needs Investigation']) {
      expect(run.check(name).status).toBe('PASS');
      expect(run.check(name).detail).toContain('not checked: no ticket in Ready to Run in SCR to inspect');
    }
  });
});
