import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { readDagTemplate, renderExampleDag, type DagSettings } from '../../src/setup/airflow-dag.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const DEFAULTS: DagSettings = {
  dags: [
    { source: 'alfabeta', dagId: 'scraper_alfabeta' },
    { source: 'quebec', dagId: 'scraper_quebec' },
    { source: 'lafa', dagId: 'scraper_lafa' },
  ],
  taskId: 'run_pipeline',
  xcomKey: 'return_value',
  configFile: null,
};

interface Harness {
  dags: Record<string, { module_global: boolean; tasks: Record<string, unknown> }>;
  outcomes: Array<{ returned: unknown; raised: string | null; pushed: Array<{ key: string; value: unknown }> }>;
}

/** Loads the DAG text in test/kit's stand-in Airflow and runs the scenarios' task. */
function harness(text: string, flavour: 'airflow2' | 'airflow3', scenarios: unknown[] = []): Harness {
  const dir = mkdtempSync(join(tmpdir(), 'printed-dag-'));
  dirs.push(dir);
  const file = join(dir, 'scraper_dag.py');
  writeFileSync(file, text);
  execFileSync('python3', ['-m', 'py_compile', file], { env: { ...process.env, PYTHONPYCACHEPREFIX: join(dir, 'pycache') } });
  return JSON.parse(execFileSync('python3', [join(root, 'test/kit/dag_harness.py'), flavour, file], { input: JSON.stringify(scenarios), encoding: 'utf8' })) as Harness;
}

describe('renderExampleDag', () => {
  it('with the default settings is the shipped example under a header saying where it came from', () => {
    const text = renderExampleDag(readDagTemplate(), DEFAULTS);
    expect(text).toBe(`# Written by jira-airflow-reconciler setup airflow --print-dag from the default settings and the environment:\n# DAGs scraper_alfabeta, scraper_quebec, scraper_lafa; result task run_pipeline, XCom return_value.\n${readDagTemplate()}`);
  });

  it.each(['airflow2', 'airflow3'] as const)('pushes the result under a configured XCom key too, on success and failure (%s)', (flavour) => {
    const text = renderExampleDag(readDagTemplate(), { ...DEFAULTS, dags: [{ source: 'lafa', dagId: 'scraper_lafa' }], xcomKey: 'scrape_result' });
    expect(text).toContain('SOURCES = ("lafa",)');
    const conf = { jira_issue_key: 'SCR-1', source: 'lafa', run_type: 'DELTA', params: {}, environment: 'dev' };
    const out = harness(text, flavour, [
      { dag_id: 'scraper_lafa', run_id: 'jira__SCR-1__1', conf },
      { dag_id: 'scraper_lafa', run_id: 'jira__SCR-1__2', conf, pipeline: 'raise' },
    ]);
    expect(Object.keys(out.dags)).toEqual(['scraper_lafa']);
    const result = { run_id: 'RUN-2025-01-05-0001', item_count: 4870, error: null };
    expect(out.outcomes[0]).toMatchObject({ raised: null, returned: result, pushed: [{ key: 'scrape_result', value: result }] });
    expect(out.outcomes[1]?.pushed).toEqual([{ key: 'scrape_result', value: { run_id: null, item_count: null, error: 'site answered 503 on page 7' } }]);
  });

  it('refuses a template that no longer has the place a setting goes', () => {
    expect(() => renderExampleDag('print("no sources here")\n', DEFAULTS)).toThrow(/does not have exactly one/);
  });
});
