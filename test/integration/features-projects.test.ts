import { describe, expect, it } from 'vitest';
import { featureCli } from './features-helpers.js';
import { FAILED, view } from './tickets.js';
import { useWorld, type World } from './world.js';

/** OPS runs only lafa full refreshes on prod, whose parameters have a schema with a default. */
const CONFIG = JSON.stringify({
  jira: {
    projects: [
      'SCR',
      {
        key: 'OPS',
        environments: ['prod'],
        runTypes: ['FULL_REFRESH'],
        sources: {
          lafa: { runTypes: { FULL_REFRESH: { paramsSchema: { type: 'object', properties: { pages: { type: 'integer', minimum: 1, default: 50 } } } } } },
        },
      },
    ],
  },
});

function ready(world: World, project: string, fields: { source: string; runType: string; environment: string; params: object }): string {
  const { key } = world.jira.createIssue({ project, summary: 'request', ...fields });
  world.jira.moveIssue(key, 'Ready to Run');
  return key;
}

describe.each(['v1', 'v2'] as const)('several projects with their own settings, through the built CLI (Airflow %s)', (apiVersion) => {
  const world = useWorld({ apiVersion, jiraProjects: ['SCR', 'OPS'] });
  // The file names the projects; JIRA_PROJECTS would override it.
  const reconciler = featureCli(world, () => world.configFile('projects.json', CONFIG), () => ({ JIRA_PROJECTS: undefined }));

  it("reconciles both projects in one pass with one search, each ticket by its project's rules, with schema defaults in conf.params", async () => {
    const scr = ready(world, 'SCR', { source: 'alfabeta', runType: 'DELTA', environment: 'dev', params: {} });
    const ops = ready(world, 'OPS', { source: 'lafa', runType: 'FULL_REFRESH', environment: 'prod', params: {} });
    const opsWrong = ready(world, 'OPS', { source: 'alfabeta', runType: 'DELTA', environment: 'dev', params: {} });

    const summary = await reconciler.pass();

    expect(summary.triggered).toBe(2);
    const searches = world.jira.log.entries.filter((e) => e.method === 'POST' && /\/search/.test(e.path));
    expect(searches.length).toBeLessThanOrEqual(2); // the search across both projects, and the confirming read
    const runs = world.airflow.runs();
    expect(runs.map((r) => r.conf.jira_issue_key).sort()).toEqual([ops, scr].sort());
    expect(runs.find((r) => r.conf.jira_issue_key === ops)?.conf.params).toEqual({ pages: 50 });
    const rejected = view(world.jira, opsWrong);
    expect(rejected.status).toBe(FAILED);
    expect(rejected.comments.at(-1)).toContain('expected one of lafa');
    expect(rejected.comments.at(-1)).toContain('expected one of prod');
  });
});
