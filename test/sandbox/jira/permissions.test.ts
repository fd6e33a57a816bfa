import { afterEach, describe, expect, it } from 'vitest';
import { startJiraSim, type JiraSim } from '../../../src/sandbox/jira/server.js';
import { loadSpec, specsMissingReason, validateExchanges } from '../contract.js';
import { jiraClient } from './client.js';

const ASKED = 'BROWSE_PROJECTS,EDIT_ISSUES,TRANSITION_ISSUES,ADD_COMMENTS';

let sim: JiraSim | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

function granted(body: { permissions: Record<string, { havePermission: boolean }> }): Record<string, boolean> {
  return Object.fromEntries(Object.entries(body.permissions).map(([key, value]) => [key, value.havePermission]));
}

const cloudSpecMissing = specsMissingReason('jira-v3.json');

describe('the Jira simulator\'s GET /mypermissions', () => {
  it('grants every permission by default and withholds what it is told, per project (Cloud, held to the v3 spec)', async () => {
    sim = await startJiraSim({ projects: ['SCR', 'OPS'], withheldPermissions: { OPS: ['EDIT_ISSUES', 'ADD_COMMENTS'] } });
    const jira = jiraClient(sim);

    const scr = await jira.get('/rest/api/3/mypermissions', { projectKey: 'SCR', permissions: ASKED });
    const ops = await jira.get('/rest/api/3/mypermissions', { projectKey: 'OPS', permissions: ASKED });
    const none = await jira.get('/rest/api/3/mypermissions', { projectKey: 'SCR' });
    const unknownKey = await jira.get('/rest/api/3/mypermissions', { projectKey: 'SCR', permissions: 'FLY' });
    const unknownProject = await jira.get('/rest/api/3/mypermissions', { projectKey: 'NOPE', permissions: ASKED });

    expect(granted(scr.body)).toEqual({ BROWSE_PROJECTS: true, EDIT_ISSUES: true, TRANSITION_ISSUES: true, ADD_COMMENTS: true });
    expect(granted(ops.body)).toEqual({ BROWSE_PROJECTS: true, EDIT_ISSUES: false, TRANSITION_ISSUES: true, ADD_COMMENTS: false });
    expect(ops.body.permissions.EDIT_ISSUES).toMatchObject({ key: 'EDIT_ISSUES', name: 'Edit Issues', type: 'PROJECT', id: '12' });
    expect([none.status, unknownKey.status, unknownProject.status]).toEqual([400, 400, 404]);
    if (cloudSpecMissing === null) {
      const validator = await loadSpec('jira-v3.json');
      expect(validateExchanges(validator!, sim.log.entries)).toEqual([]);
    }
  });

  it('answers on REST v2 in Data Center mode, every permission when none is named (held to the recorded subset)', async () => {
    sim = await startJiraSim({ deployment: 'datacenter', withheldPermissions: { SCR: ['TRANSITION_ISSUES'] } });
    const jira = jiraClient(sim, 'Bearer sim-pat');

    const asked = await jira.get('/rest/api/2/mypermissions', { projectKey: 'SCR', permissions: ASKED });
    const all = await jira.get('/rest/api/2/mypermissions', { projectKey: 'SCR' });
    const cloudPath = await jira.get('/rest/api/3/mypermissions', { projectKey: 'SCR', permissions: ASKED });

    expect(granted(asked.body)).toEqual({ BROWSE_PROJECTS: true, EDIT_ISSUES: true, TRANSITION_ISSUES: false, ADD_COMMENTS: true });
    expect(Object.keys(all.body.permissions)).toEqual(expect.arrayContaining(ASKED.split(',')));
    expect(all.body.permissions.TRANSITION_ISSUES.havePermission).toBe(false);
    expect(cloudPath.status).toBe(404);
    const validator = await loadSpec('jira-datacenter-v2.yaml');
    const v2 = sim.log.entries.filter((entry) => entry.path.startsWith('/rest/api/2/'));
    expect(validateExchanges(validator!, v2)).toEqual([]);
  });
});
