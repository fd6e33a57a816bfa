import { describe, expect, it } from 'vitest';
import { groupedJql } from '../../src/jira/jql.js';
import { rig } from '../support/engine-rig.js';

const NOW = new Date('2025-01-05T12:00:00Z');

describe('several projects in one search', () => {
  it('groups projects by the status names they share, under one updated bound', () => {
    const jql = groupedJql(
      [
        { projects: ['SCR', 'DATA'], statuses: ['Ready to Run', 'Cancelled'] },
        { projects: ['OPS'], statuses: ['Queued', 'Dropped'] },
      ],
      new Date(NOW.getTime() - 10 * 60_000),
      NOW,
    );
    expect(jql).toBe(
      '((project in ("SCR", "DATA") AND status in ("Ready to Run", "Cancelled")) OR (project in ("OPS") AND status in ("Queued", "Dropped"))) AND updated >= -11m ORDER BY updated DESC',
    );
  });

  it("each project's tickets are checked against its own sources, run types and environments, in one pass with one search", async () => {
    const config = {
      jira: {
        projects: ['SCR', { key: 'OPS', sources: ['lafa'], environments: ['prod'], runTypes: ['FULL_REFRESH'] }],
      },
    };
    const r = await rig({ jira: { projects: ['SCR', 'OPS'] }, configFile: JSON.stringify(config), env: { JIRA_PROJECTS: '' } });
    const make = (project: string, source: string, environment: string, runType: string): string => {
      const { key } = r.jira.createIssue({ project, summary: 'request', source, runType, environment, params: {} });
      r.jira.moveIssue(key, 'Ready to Run');
      return key;
    };
    const scrAlfabeta = make('SCR', 'alfabeta', 'dev', 'DELTA');
    const opsLafa = make('OPS', 'lafa', 'prod', 'FULL_REFRESH');
    const opsAlfabeta = make('OPS', 'alfabeta', 'dev', 'DELTA');

    const first = await r.pass();

    expect(first.jira['POST /rest/api/3/search/jql']).toBe(2); // the search across both projects, then the confirming read
    expect(r.jira.issue(scrAlfabeta).status).toBe('Ready to Run');
    expect(r.jira.issue(opsLafa).status).toBe('Ready to Run');
    expect(r.airflow.runs().map((run) => run.conf.jira_issue_key).sort()).toEqual([opsLafa, scrAlfabeta].sort());
    expect(r.jira.issue(opsAlfabeta).status).toBe('Failed - Needs Investigation');
    const rejection = r.jira.comments(opsAlfabeta).at(-1)?.text ?? '';
    expect(rejection).toContain('expected one of lafa');
    expect(rejection).toContain('expected one of prod');
    expect(rejection).toContain('expected one of FULL_REFRESH');
  });
});

describe("a project's own ready status in what its tickets are told", () => {
  it('a DAG that is paused or missing fails an OPS ticket with the way back through Queued for run', async () => {
    const config = { jira: { projects: ['SCR', { key: 'OPS', statuses: { ready: 'Queued for run' } }] } };
    const r = await rig({ jira: { projects: ['SCR', 'OPS'] }, configFile: JSON.stringify(config), env: { JIRA_PROJECTS: '' } });
    r.airflow.setPaused('scraper_quebec', true);
    r.airflow.removeDag('scraper_lafa');
    const make = (project: string, source: string, status: string): string => {
      const { key } = r.jira.createIssue({ project, summary: 'request', source, runType: 'DELTA', environment: 'dev', params: {} });
      r.jira.moveIssue(key, status);
      return key;
    };
    const paused = make('OPS', 'quebec', 'Queued for run');
    const missing = make('OPS', 'lafa', 'Queued for run');
    const scrPaused = make('SCR', 'quebec', 'Ready to Run');

    await r.pass();

    const last = (key: string): string => r.jira.comments(key).at(-1)?.text ?? '';
    expect(r.jira.issue(paused).status).toBe('Failed - Needs Investigation');
    expect(last(paused)).toContain('Unpause it, then move the ticket back to Queued for run.');
    expect(last(missing)).toContain('Deploy it, then move the ticket back to Queued for run.');
    expect(last(scrPaused)).toContain('Unpause it, then move the ticket back to Ready to Run.');
    expect(r.airflow.runs()).toEqual([]);
  });
});
