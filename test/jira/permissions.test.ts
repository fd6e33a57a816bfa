import { Version2Client, Version3Client } from 'jira.js';
import nock from 'nock';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { isUpstreamError } from '../../src/http/errors.js';
import { createJiraCall } from '../../src/jira/jira-call.js';
import { missingPermissions, missingPermissionsByProject, PERMISSION_KEYS } from '../../src/jira/permissions.js';
import { fakeClock } from '../support/fake-clock.js';
import { useNock } from '../support/nock.js';
import { JIRA, NOW } from './helpers.js';

const ASKED = 'BROWSE_PROJECTS,EDIT_ISSUES,TRANSITION_ISSUES,ADD_COMMENTS';
const BASIC = { basic: { email: 'bot@example.com', apiToken: 'secret-api-token' } };

function deps(version: 2 | 3 = 3) {
  const clientConfig = { host: JIRA, authentication: BASIC };
  const client = version === 3 ? new Version3Client(clientConfig) : new Version2Client(clientConfig);
  const call = createJiraCall({ clock: fakeClock(NOW), log: pino({ level: 'silent' }), retries: 1 });
  return { client, call };
}

function answer(granted: Record<string, boolean>): Record<string, unknown> {
  const permissions = Object.fromEntries(
    Object.entries(granted).map(([key, have]) => [key, { id: '1', key, name: key, type: 'PROJECT', description: '', havePermission: have }]),
  );
  return { permissions };
}

const ALL = Object.fromEntries(PERMISSION_KEYS.map((key) => [key, true]));

useNock();

describe('missingPermissions (GET /mypermissions)', () => {
  it('asks Cloud for the four permissions in the project and finds none missing', async () => {
    const scope = nock(JIRA).get('/rest/api/3/mypermissions').query({ projectKey: 'SCR', permissions: ASKED }).reply(200, answer(ALL));
    expect(await missingPermissions(deps(), 'SCR')).toEqual([]);
    scope.done();
  });

  it('names the ones Jira says the account lacks, in a fixed order', async () => {
    const scope = nock(JIRA)
      .get('/rest/api/3/mypermissions')
      .query({ projectKey: 'SCR', permissions: ASKED })
      .reply(200, answer({ ...ALL, ADD_COMMENTS: false, EDIT_ISSUES: false }));
    expect(await missingPermissions(deps(), 'SCR')).toEqual(['EDIT_ISSUES', 'ADD_COMMENTS']);
    scope.done();
  });

  it('counts a permission left out of the answer as missing', async () => {
    const { TRANSITION_ISSUES: _left, ...rest } = ALL;
    const scope = nock(JIRA).get('/rest/api/3/mypermissions').query(true).reply(200, answer(rest));
    expect(await missingPermissions(deps(), 'SCR')).toEqual(['TRANSITION_ISSUES']);
    scope.done();
  });

  it('asks Data Center on REST v2, which may answer every permission it has', async () => {
    const scope = nock(JIRA)
      .get('/rest/api/2/mypermissions')
      .query({ projectKey: 'OPS', permissions: ASKED })
      .reply(200, answer({ ...ALL, CREATE_ISSUES: true, ADMINISTER_PROJECTS: false, BROWSE_PROJECTS: false }));
    expect(await missingPermissions(deps(2), 'OPS')).toEqual(['BROWSE_PROJECTS']);
    scope.done();
  });

  it('asks once per project, in order', async () => {
    const scope = nock(JIRA)
      .get('/rest/api/3/mypermissions')
      .query({ projectKey: 'SCR', permissions: ASKED })
      .reply(200, answer(ALL))
      .get('/rest/api/3/mypermissions')
      .query({ projectKey: 'OPS', permissions: ASKED })
      .reply(200, answer({ ...ALL, TRANSITION_ISSUES: false }));
    expect(await missingPermissionsByProject(deps(), ['SCR', 'OPS'])).toEqual([
      { project: 'SCR', missing: [] },
      { project: 'OPS', missing: ['TRANSITION_ISSUES'] },
    ]);
    scope.done();
  });

  it('throws not_found for a project Jira hides or does not have', async () => {
    const scope = nock(JIRA).get('/rest/api/3/mypermissions').query(true).reply(404, { errorMessages: ["No project could be found with key 'NOPE'."] });
    const error = await missingPermissions(deps(), 'NOPE').catch((caught: unknown) => caught);
    expect(isUpstreamError(error, 'not_found')).toBe(true);
    scope.done();
  });

  it('throws auth for refused credentials, without retrying', async () => {
    const scope = nock(JIRA).get('/rest/api/3/mypermissions').query(true).reply(401, { errorMessages: ['Unauthorized'] });
    const error = await missingPermissions(deps(), 'SCR').catch((caught: unknown) => caught);
    expect(isUpstreamError(error, 'auth')).toBe(true);
    scope.done();
  });

  it('throws bad_response for an answer without the permissions map', async () => {
    const scope = nock(JIRA).get('/rest/api/3/mypermissions').query(true).reply(200, { projects: [] });
    const error = await missingPermissions(deps(), 'SCR').catch((caught: unknown) => caught);
    expect(isUpstreamError(error, 'bad_response')).toBe(true);
    scope.done();
  });
});
