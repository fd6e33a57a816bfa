import { describe, expect, it } from 'vitest';
import { readConfig } from '../../src/config/read-config.js';
import { projectOf, settingsFor } from '../../src/config/resolve-projects.js';
import { MINIMAL_ENV, problemsOf, yamlFile } from './helpers.js';

const { JIRA_PROJECTS: _p, ...ENV } = MINIMAL_ENV;
const read = (text: string, env: Record<string, string> = {}) => readConfig({ ...ENV, ...env }, yamlFile(text));

const FILE = `
jira:
  fields: { params: customfield_100 }
  statuses: { running: Running }
  projects:
    - SCR
    - key: OPS
      fields: { source: customfield_200 }
      statuses: { ready: Queued }
      sources: [lafa]
      runTypes: [FULL_REFRESH]
      environments: [prod]
    - key: MKT
      sources:
        quebec: { dagId: mkt_quebec, runTypes: { DELTA: { retry: { attempts: 4 } } } }
        newsrc: {}
sources:
  quebec:
    paramsSchema: { type: object }
    retry: { attempts: 2, delaySeconds: 5 }
    runTypes: { DELTA: { retry: { delaySeconds: 1 } } }
  lafa: { maxInFlight: 1 }
`;

describe('jira.projects with per-project settings', () => {
  const config = read(FILE);

  it('keeps jira.projects as the keys', () => {
    expect(config.jira.projects).toEqual(['SCR', 'OPS', 'MKT']);
  });

  it('gives a project without settings the top-level ones', () => {
    expect(config.projectSettings['SCR']).toEqual({
      key: 'SCR',
      fields: config.jira.fields,
      statuses: config.jira.statuses,
      sources: config.sources,
      runTypes: ['FULL_REFRESH', 'DELTA', 'SINGLE_PRODUCT'],
      environments: ['dev', 'staging', 'prod'],
    });
  });

  it('merges fields and statuses key by key, and replaces the lists', () => {
    const ops = config.projectSettings['OPS'];
    expect(ops?.fields).toMatchObject({ source: 'customfield_200', params: 'customfield_100', runType: 'customfield_run_type' });
    expect(ops?.statuses).toEqual({ ready: 'Queued', completed: 'Completed', failed: 'Failed - Needs Investigation', cancelled: 'Cancelled', running: 'Running' });
    expect(ops?.sources).toEqual({ lafa: { maxInFlight: 1 } });
    expect(ops?.runTypes).toEqual(['FULL_REFRESH']);
    expect(ops?.environments).toEqual(['prod']);
  });

  it('merges a mapping of sources over the top-level source of each name', () => {
    expect(config.projectSettings['MKT']?.sources).toEqual({
      quebec: {
        dagId: 'mkt_quebec',
        paramsSchema: { type: 'object' },
        retry: { attempts: 2, delaySeconds: 5 },
        runTypes: { DELTA: { retry: { delaySeconds: 1, attempts: 4 } } },
      },
      newsrc: {},
    });
  });

  it('settingsFor picks a ticket’s project by its key, and the top level for a project not listed', () => {
    expect(settingsFor(config, 'OPS-12').statuses.ready).toBe('Queued');
    expect(settingsFor(config, 'MKT-1').sources['newsrc']).toEqual({});
    expect(settingsFor(config, 'ZZZ-9')).toMatchObject({ key: 'ZZZ', runTypes: config.runTypes, environments: config.environments });
    expect(projectOf('SCR_2-44')).toBe('SCR_2');
  });

  it('JIRA_PROJECTS picks projects by key and keeps the file’s settings for them', () => {
    const picked = read(FILE, { JIRA_PROJECTS: 'OPS,NEW' });
    expect(picked.jira.projects).toEqual(['OPS', 'NEW']);
    expect(picked.projectSettings['OPS']?.statuses.ready).toBe('Queued');
    expect(picked.projectSettings['NEW']?.statuses.ready).toBe('Ready to Run');
    expect(picked.projectSettings['MKT']).toBeUndefined();
  });

  it.each([
    ['projects: [SCR, { key: ops }]', 'jira.projects[1].key: "ops" is not a Jira project key such as SCR'],
    ['projects: [{ key: OPS, fields: { sauce: x } }]', 'jira.projects[0].fields.sauce: unknown key (allowed: source, runType, params, environment, airflowRunId, runStatus, platformRunId)'],
    ['projects: [{ key: OPS, colour: red }]', 'jira.projects[0].colour: unknown key (allowed: key, fields, statuses, sources, runTypes, environments)'],
    ['projects: [{ fields: {} }]', 'jira.projects[0].key: expected a string, got nothing'],
    ['projects: [5]', 'jira.projects[0]: expected a string or a mapping, got 5'],
    ['projects: [{ key: OPS, runTypes: [] }]', 'jira.projects[0].runTypes: must list at least 1 item(s)'],
    ['projects: [SCR, SCR]', 'jira.projects[1]: SCR is listed twice; list each project once'],
    ['projects: [{ key: OPS, sources: [mars] }]', 'jira.projects[0].sources: "mars" is not a configured source; use one of alfabeta, quebec, lafa, or give its settings as a mapping'],
    ['projects: [{ key: OPS, environments: [qa] }]', 'jira.projects[0].environments: "qa" is not a configured environment; use one of dev, staging, prod'],
    [
      'projects: [{ key: OPS, runTypes: [X], sources: { lafa: { runTypes: { DELTA: {} } } } }]',
      'jira.projects[0].sources.lafa.runTypes.DELTA: not a run type; use one of X (the runTypes list)',
    ],
    [
      'projects: [{ key: OPS, sources: { lafa: { dagId: "a b" } } }]',
      'jira.projects[0].sources.lafa.dagId: the DAG id "a b" for source lafa is not valid; use only letters, digits, _, . and -',
    ],
  ])('%s', (yaml, message) => {
    expect(problemsOf(() => read(`jira:\n  ${yaml}\n`))).toEqual([message]);
  });

  it('a per-project paramsSchema and retry pattern are checked like the top-level ones', () => {
    const found = problemsOf(() => read('jira:\n  projects:\n    - key: OPS\n      sources:\n        lafa: { paramsSchema: { type: 1 }, retry: { when: ["("] } }\n'));
    expect(found.map((problem) => problem.split(':')[0])).toEqual(['jira.projects[0].sources.lafa.paramsSchema', 'jira.projects[0].sources.lafa.retry.when[0]']);
  });
});
