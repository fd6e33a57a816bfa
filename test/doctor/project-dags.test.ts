import { describe, expect, it } from 'vitest';
import type { AirflowGateway, Dag } from '../../src/airflow/gateway.js';
import { readConfig } from '../../src/config/read-config.js';
import { airflowChecks } from '../../src/doctor/airflow-checks.js';
import { MINIMAL_ENV } from '../config/helpers.js';

/** An Airflow that answers its version and knows these DAGs; nothing else is asked of it. */
function airflowWith(dags: readonly string[]): { airflow: AirflowGateway; asked: string[] } {
  const asked: string[] = [];
  const airflow = {
    version: () => Promise.resolve('2.10.5'),
    getDag: (dagId: string): Promise<Dag | null> => {
      asked.push(dagId);
      return Promise.resolve(dags.includes(dagId) ? { dagId, isPaused: false, isActive: true } : null);
    },
  } as unknown as AirflowGateway;
  return { airflow, asked };
}

function configWith(projects: unknown[]) {
  const { JIRA_PROJECTS: _projects, ...env } = MINIMAL_ENV;
  return readConfig(env, { path: '/etc/reconciler/config.json', text: JSON.stringify({ jira: { projects } }) });
}

describe("doctor checks the DAGs a project's own sources name", () => {
  it('checks each DAG once, a project-only one on a line naming the project, with the setting that makes its id', async () => {
    const config = configWith(['SCR', { key: 'OPS', sources: { lafa: { dagId: 'ops_lafa' }, quebec: {} } }]);
    const { airflow, asked } = airflowWith(['scraper_alfabeta', 'scraper_quebec', 'scraper_lafa']);

    const checks = await airflowChecks({ config, airflow });

    expect(asked).toEqual(['scraper_alfabeta', 'scraper_quebec', 'scraper_lafa', 'ops_lafa']);
    const ops = checks.find((check) => check.name === 'airflow dag ops_lafa (OPS)');
    expect(ops).toMatchObject({ ok: false, detail: 'no DAG ops_lafa (source lafa of project OPS)' });
    expect(ops?.hint).toContain('sources.lafa.dagId in the OPS entry of jira.projects');
    expect(checks.filter((check) => !check.ok)).toHaveLength(1);
  });

  it('adds nothing for projects that only narrow the top-level sources', async () => {
    const config = configWith(['SCR', { key: 'OPS', sources: ['lafa'] }]);
    const { airflow, asked } = airflowWith(['scraper_alfabeta', 'scraper_quebec', 'scraper_lafa']);

    const checks = await airflowChecks({ config, airflow });

    expect(asked).toEqual(['scraper_alfabeta', 'scraper_quebec', 'scraper_lafa']);
    expect(checks.every((check) => check.ok)).toBe(true);
  });
});
