import { describe, expect, it } from 'vitest';
import { readConfig } from '../../src/config/read-config.js';
import { checkScopes, scopedName, settingName } from '../../src/doctor/check-scope.js';
import { MINIMAL_ENV } from '../config/helpers.js';

function scopesOf(projects: unknown[]) {
  const { JIRA_PROJECTS: _projects, ...env } = MINIMAL_ENV;
  return checkScopes(readConfig(env, { path: '/etc/reconciler/config.json', text: JSON.stringify({ jira: { projects } }) }));
}

describe('what doctor checks per project', () => {
  it('projects without settings of their own are checked by the top-level lines alone', () => {
    const scopes = scopesOf(['SCR', 'DATA', { key: 'OPS' }]);
    expect(scopes).toHaveLength(1);
    expect(scopes[0]).toMatchObject({ project: null, projects: ['SCR', 'DATA', 'OPS'] });
  });

  it("a project's own status and field get lines of its own, and its workflow is sampled apart", () => {
    const scopes = scopesOf(['SCR', { key: 'OPS', statuses: { ready: 'Queued for run' }, fields: { source: 'customfield_ops_source' } }]);
    expect(scopes.map((scope) => [scope.project, scope.projects])).toEqual([
      [null, ['SCR']],
      ['OPS', ['OPS']],
    ]);
    expect(scopes[1]).toMatchObject({ fieldRoles: ['source'], statusRoles: ['ready'] });
  });

  it('a project narrowing its sources needs no line; one adding a value its field must offer does', () => {
    expect(scopesOf(['SCR', { key: 'OPS', sources: ['lafa'], environments: ['prod'] }])).toHaveLength(1);
    const scopes = scopesOf(['SCR', { key: 'OPS', runTypes: ['FULL_REFRESH', 'BACKFILL'] }]);
    expect(scopes[1]).toMatchObject({ project: 'OPS', fieldRoles: ['runType'], statusRoles: [], projects: [] });
    // Only reading fields differ: its workflow is the same as the top level's, sampled with SCR.
    expect(scopes[0]?.projects).toEqual(['SCR', 'OPS']);
  });

  it('a project writing its own Run Status field has its transitions checked on its own ticket', () => {
    const scopes = scopesOf(['SCR', { key: 'OPS', fields: { runStatus: 'customfield_ops_status' } }]);
    expect(scopes[1]).toMatchObject({ fieldRoles: ['runStatus'], statusRoles: [], projects: ['OPS'] });
  });

  it('names lines and settings after the project', () => {
    expect(scopedName('jira statuses', { project: 'OPS' })).toBe('jira statuses (OPS)');
    expect(scopedName('jira statuses', { project: null })).toBe('jira statuses');
    expect(settingName('statuses.ready', { project: 'OPS' })).toBe('statuses.ready in the OPS entry of jira.projects');
    expect(settingName('fields.source', { project: null }, 'customfield_x')).toBe('jira.fields.source: customfield_x');
  });
});
