import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunConf } from '../../src/airflow/gateway.js';
import { FileConfig, SOURCES } from '../../src/config/schema.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dagFile = `${root}config/airflow/scraper_dag.py`;
const dagText = readFileSync(dagFile, 'utf8');

// The compiler checks this list has exactly RunConf's keys; the text check below keeps it honest
// should RunConf ever change shape without a type error here.
const RUN_CONF_KEYS = ['jira_issue_key', 'source', 'run_type', 'params', 'environment'] as const;
const runConfKeys: Record<keyof RunConf, true> = {
  jira_issue_key: true,
  source: true,
  run_type: true,
  params: true,
  environment: true,
} satisfies Record<(typeof RUN_CONF_KEYS)[number], true>;
/** CONTRACT §4: the result the reconciler reads from the XCom. */
const RESULT_KEYS = ['run_id', 'item_count', 'error'] as const;

const defaults = FileConfig.parse({});
const validConf = {
  jira_issue_key: 'SCR-12',
  source: 'quebec',
  run_type: 'DELTA',
  params: { limit: 10 },
  environment: 'prod',
};

interface Outcome {
  returned: Record<string, unknown> | null;
  raised: string | null;
  pushed: Array<{ key: string; value: Record<string, unknown> }>;
  pipeline_calls: Array<Record<string, unknown>>;
}
interface HarnessOutput {
  dags: Record<string, { module_global: boolean; schedule: unknown; catchup: unknown; retries: unknown; tasks: Record<string, Record<string, unknown>> }>;
  outcomes: Outcome[];
}
interface Scenario {
  dag_id: string;
  run_id: string;
  conf: unknown;
  pipeline?: 'ok' | 'error' | 'raise' | 'no_count';
  entry_point?: string;
}

function runHarness(flavour: 'airflow2' | 'airflow3', scenarios: Scenario[]): HarnessOutput {
  const output = execFileSync('python3', [`${root}test/kit/dag_harness.py`, flavour, dagFile], {
    input: JSON.stringify(scenarios),
    encoding: 'utf8',
  });
  return JSON.parse(output) as HarnessOutput;
}

function pythonTuple(name: string): string[] {
  const match = new RegExp(`^${name} = \\(([^)]*)\\)`, 'm').exec(dagText);
  if (!match?.[1]) throw new Error(`${name} = (...) not found in scraper_dag.py`);
  return [...match[1].matchAll(/"([^"]+)"/g)].map((m) => m[1]!);
}

describe('the example DAG keeps the engine contract (read as text)', () => {
  it('reads exactly the conf keys of RunConf', () => {
    expect(Object.keys(runConfKeys).sort()).toEqual([...RUN_CONF_KEYS].sort());
    const gateway = readFileSync(`${root}src/airflow/gateway.ts`, 'utf8');
    const runConf = /interface RunConf \{([^}]*)\}/.exec(gateway)?.[1] ?? '';
    const declared = [...runConf.matchAll(/^\s*(\w+)\??:/gm)].map((m) => m[1]);
    expect(declared.sort()).toEqual([...RUN_CONF_KEYS].sort());
    expect(pythonTuple('CONF_KEYS')).toEqual([...RUN_CONF_KEYS]);
  });

  it('returns exactly the result keys of CONTRACT §4', () => {
    expect(pythonTuple('RESULT_KEYS')).toEqual([...RESULT_KEYS]);
    const literal = /def _result\([^)]*\)[^:]*:\s*return \{([^}]*)\}/.exec(dagText)?.[1] ?? '';
    expect([...literal.matchAll(/"(\w+)":/g)].map((m) => m[1])).toEqual([...RESULT_KEYS]);
  });

  it('names its task like the default airflow.resultTaskId and DAGs like dagIdTemplate', () => {
    expect(dagText).toContain(`task_id="${defaults.airflow.resultTaskId}"`);
    expect(defaults.airflow.resultXcomKey).toBe('return_value');
    expect(dagText).toContain(`dag_id=f"${defaults.airflow.dagIdTemplate}"`);
    expect(pythonTuple('SOURCES')).toEqual([...SOURCES]);
  });

  it('imports the Airflow 3 SDK first and falls back to Airflow 2', () => {
    expect(dagText).toMatch(/try:[^\n]*\n\s+from airflow\.sdk import dag, task\nexcept ImportError:[^\n]*\n\s+from airflow\.decorators import dag, task/);
  });
});

const lafa = { ...validConf, source: 'lafa' };
/** Every run the tests look at, run through the harness once per Airflow flavour. */
const SCENARIOS = {
  valid: { dag_id: 'scraper_quebec', run_id: 'jira__SCR-12__1', conf: validConf },
  missingKeys: { dag_id: 'scraper_quebec', run_id: 'manual__1', conf: { source: 'quebec', run_type: '', params: [1] } },
  wrongSource: { dag_id: 'scraper_quebec', run_id: 'manual__2', conf: lafa },
  noConf: { dag_id: 'scraper_quebec', run_id: 'manual__3', conf: null },
  pipelineRaises: { dag_id: 'scraper_lafa', run_id: 'r1', conf: lafa, pipeline: 'raise' },
  pipelineReportsError: { dag_id: 'scraper_lafa', run_id: 'r2', conf: lafa, pipeline: 'error' },
  pipelineNoCount: { dag_id: 'scraper_lafa', run_id: 'r3', conf: lafa, pipeline: 'no_count' },
  notInstalled: {
    dag_id: 'scraper_alfabeta',
    run_id: 'r4',
    conf: { ...validConf, source: 'alfabeta' },
    entry_point: 'not_installed.pipeline:run',
  },
} satisfies Record<string, Scenario>;
type ScenarioName = keyof typeof SCENARIOS;

describe.each(['airflow2', 'airflow3'] as const)('the example DAG run against stand-in %s', (flavour) => {
  let output: HarnessOutput;
  const outcome = (name: ScenarioName): Outcome => output.outcomes[Object.keys(SCENARIOS).indexOf(name)]!;

  beforeAll(() => {
    output = runHarness(flavour, Object.values(SCENARIOS));
  });

  it('defines one triggered-only DAG per source with the result task', () => {
    const expectedIds = SOURCES.map((s) => defaults.airflow.dagIdTemplate.replaceAll('{source}', s));
    expect(Object.keys(output.dags).sort()).toEqual(expectedIds.sort());
    for (const dag of Object.values(output.dags)) {
      expect(dag).toMatchObject({ module_global: true, schedule: null, catchup: false, retries: 0 });
      expect(Object.keys(dag.tasks)).toEqual([defaults.airflow.resultTaskId]);
      expect(dag.tasks[defaults.airflow.resultTaskId]).toMatchObject({ multiple_outputs: false });
    }
  });

  it('passes the conf to the pipeline and returns the result the reconciler reads', () => {
    const valid = outcome('valid');
    expect(valid.raised).toBeNull();
    expect(valid.returned).toEqual({ run_id: 'RUN-2025-01-05-0001', item_count: 4870, error: null });
    expect(valid.pipeline_calls).toEqual([{ ...validConf, airflow_run_id: 'jira__SCR-12__1' }]);
    expect(valid.pushed).toEqual([]);
  });

  it('fails on a bad conf, naming each key, and leaves the error as the result', () => {
    const missing = outcome('missingKeys');
    expect(missing.raised).toBe(
      'RunConfError: dag_run.conf is not valid: jira_issue_key is missing; environment is missing; ' +
        'run_type must be a non-empty string; params must be a JSON object. ' +
        'Expected keys: jira_issue_key, source, run_type, params, environment.',
    );
    expect(missing.pipeline_calls).toEqual([]);
    expect(missing.pushed).toEqual([
      { key: 'return_value', value: { run_id: null, item_count: null, error: missing.raised?.replace('RunConfError: ', '') } },
    ]);
    expect(outcome('wrongSource').raised).toContain("source is 'lafa' but this DAG runs 'quebec'");
    expect(outcome('noConf').raised).toContain('dag_run.conf must be a JSON object');
  });

  it('fails the task and pushes the error when the pipeline fails', () => {
    const raised = outcome('pipelineRaises');
    expect(raised.raised).toBe('RuntimeError: site answered 503 on page 7');
    expect(raised.pushed).toEqual([
      { key: 'return_value', value: { run_id: null, item_count: null, error: 'site answered 503 on page 7' } },
    ]);
    const reported = outcome('pipelineReportsError');
    expect(reported.raised).toBe('RuntimeError: login refused');
    expect(reported.pushed[0]?.value).toEqual({ run_id: 'RUN-ERR-1', item_count: null, error: 'login refused' });
    const incomplete = outcome('pipelineNoCount');
    expect(incomplete.raised).toBe('RuntimeError: the pipeline returned no item_count (got None)');
    expect(incomplete.pushed[0]?.value).toMatchObject({ run_id: 'RUN-3', error: expect.stringContaining('item_count') });
  });

  it('says how to fix a missing pipeline module', () => {
    const notInstalled = outcome('notInstalled');
    expect(notInstalled.raised).toMatch(/the pipeline module 'not_installed\.pipeline' cannot be imported .*Install the scraper platform/);
    expect(notInstalled.pushed[0]?.value.error).toContain('SCRAPER_PIPELINE_ENTRY_POINT');
  });
});
