import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SimParam } from '../../src/sandbox/airflow/index.js';
import { ROOT, runCli } from './cli.js';
import { useWorld, type World } from './world.js';

/** Params that declare the reconciler's conf keys, as a DAG author might. */
const CONF_PARAMS: Record<string, SimParam> = {
  jira_issue_key: { schema: { type: 'string' } },
  source: { schema: { type: 'string', enum: ['alfabeta', 'quebec', 'lafa'] } },
  run_type: { schema: { type: 'string' } },
  params: { default: {}, schema: { type: 'object' } },
  environment: { schema: { type: 'string' } },
};

/** The lines of `setup airflow`: name -> status, detail and the fix under it. */
function lines(stdout: string): Map<string, { status: string; detail: string; fix: string | undefined }> {
  const out = new Map<string, { status: string; detail: string; fix: string | undefined }>();
  const rows = stdout.split('\n');
  rows.forEach((row, index) => {
    const match = /^(PASS|FAIL) {2}(.+?) {2,}(.*)$/.exec(row) ?? /^(PASS|FAIL) {2}(.+?) {2}(.*)$/.exec(row);
    if (!match) return;
    const fix = /^ {6}fix: (.*)$/.exec(rows[index + 1] ?? '')?.[1];
    out.set(match[2]!.trim(), { status: match[1]!, detail: match[3]!, fix });
  });
  return out;
}

function restore(world: World): void {
  for (const source of ['alfabeta', 'quebec', 'lafa']) world.airflow.addDag(`scraper_${source}`);
}

describe.each(['v1', 'v2'] as const)('setup airflow through the built CLI (Airflow %s)', (apiVersion) => {
  const world = useWorld({ apiVersion });

  it('passes and exits 0 when every DAG is there, unpaused and declares no params', async () => {
    restore(world);
    const result = await world.cli(['setup', 'airflow']);

    expect(result.code, result.stdout + result.stderr).toBe(0);
    const found = lines(result.stdout);
    expect([...found.keys()]).toEqual([
      'airflow api',
      'airflow dag scraper_alfabeta',
      'airflow dag scraper_alfabeta conf',
      'airflow dag scraper_quebec',
      'airflow dag scraper_quebec conf',
      'airflow dag scraper_lafa',
      'airflow dag scraper_lafa conf',
    ]);
    expect(found.get('airflow dag scraper_quebec conf')?.detail).toBe('declares no params: Airflow takes the conf as the reconciler sends it');
    expect(result.stdout).toContain('All 7 checks passed.');
    expect(world.airflow.log.entries.filter((entry) => entry.method !== 'GET').map((entry) => entry.path)).toEqual(apiVersion === 'v2' ? ['/auth/token'] : []);
  });

  it('passes a DAG whose params declare every conf key', async () => {
    restore(world);
    world.airflow.addDag('scraper_lafa', { params: CONF_PARAMS });
    const result = await world.cli(['setup', 'airflow']);

    expect(result.code, result.stdout).toBe(0);
    expect(lines(result.stdout).get('airflow dag scraper_lafa conf')?.detail).toBe(
      "declares the conf keys jira_issue_key, source, run_type, params, environment; the reconciler's conf fits its params",
    );
  });

  it('fails a missing DAG, a paused DAG and params without the conf keys, one line each with what to do, and exits 1', async () => {
    restore(world);
    world.airflow.removeDag('scraper_alfabeta');
    world.airflow.setPaused('scraper_quebec', true);
    const { jira_issue_key: _key, environment: _environment, ...partial } = CONF_PARAMS;
    world.airflow.addDag('scraper_lafa', { params: { ...partial, country: { schema: { type: 'string' } } } });

    const result = await world.cli(['setup', 'airflow']);

    expect(result.code).toBe(1);
    const found = lines(result.stdout);
    expect(found.get('airflow dag scraper_alfabeta')).toMatchObject({ status: 'FAIL', detail: 'no DAG scraper_alfabeta (source alfabeta)' });
    expect(found.get('airflow dag scraper_alfabeta')?.fix).toContain('deploy the DAG file to Airflow');
    expect(found.get('airflow dag scraper_alfabeta conf')).toMatchObject({ status: 'FAIL', detail: 'skipped: needs the DAG scraper_alfabeta' });
    expect(found.get('airflow dag scraper_quebec')).toMatchObject({ status: 'FAIL', detail: 'scraper_quebec is paused: its runs would stay queued' });
    expect(found.get('airflow dag scraper_quebec')?.fix).toContain('airflow dags unpause scraper_quebec');
    expect(found.get('airflow dag scraper_quebec conf')?.status).toBe('PASS');
    expect(found.get('airflow dag scraper_alfabeta conf')?.fix).toBe("first make 'airflow dag scraper_alfabeta' pass, then run setup airflow again");
    const lafa = found.get('airflow dag scraper_lafa conf');
    expect(lafa?.status).toBe('FAIL');
    expect(lafa?.detail).toContain('declares params but not the conf keys jira_issue_key, environment');
    expect(lafa?.detail).toContain('`country` is required: the DAG declares it without a default');
    expect(lafa?.fix).toContain('declare a Param for each of jira_issue_key, source, run_type, params, environment');
    expect(lafa?.fix).toContain('setup airflow --print-dag');
    expect(result.stdout).toContain('4 of 7 checks failed (1 of them skipped after an earlier failure).');
  });
});

describe('setup airflow --print-dag and --write-dag', () => {
  const world = useWorld();

  it('prints the example DAG for the configured sources, DAG ids and task, valid Python that defines them', async () => {
    const config = world.configFile(
      'dag.yaml',
      ['sources:', '  alfabeta: {}', '  quebec:', '    dagId: scrape_quebec_v2', 'airflow:', '  resultTaskId: run_scraper', ''].join('\n'),
    );
    const result = await world.cli(['setup', 'airflow', '--print-dag'], { RECONCILER_CONFIG: config });

    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('SOURCES = ("alfabeta", "quebec")');
    expect(result.stdout).toContain('task_id="run_scraper"');
    expect(world.airflow.log.entries).toEqual([]);
    const file = join(world.dir, 'printed_dag.py');
    execFileSync('sh', ['-c', `cat > ${file}`], { input: result.stdout });
    for (const flavour of ['airflow2', 'airflow3']) {
      const output = JSON.parse(execFileSync('python3', [join(ROOT, 'test/kit/dag_harness.py'), flavour, file], { input: '[]', encoding: 'utf8' })) as {
        dags: Record<string, { module_global: boolean; tasks: Record<string, unknown> }>;
      };
      expect(Object.keys(output.dags).sort()).toEqual(['scrape_quebec_v2', 'scraper_alfabeta']);
      for (const dag of Object.values(output.dags)) {
        expect(dag.module_global).toBe(true);
        expect(Object.keys(dag.tasks)).toEqual(['run_scraper']);
      }
    }
  });

  it('needs no Jira or Airflow settings, nor secrets, but refuses a bad config file naming the key', async () => {
    const config = world.configFile('sources.yaml', 'sources:\n  lafa: {}\n');
    const bare = await runCli(['setup', 'airflow', '--print-dag'], { RECONCILER_CONFIG: config });
    expect(bare.code, bare.stderr).toBe(0);
    expect(bare.stdout).toContain('SOURCES = ("lafa",)');

    const bad = world.configFile('bad.yaml', 'airflow:\n  resultTaskID: x\n');
    const refused = await runCli(['setup', 'airflow', '--print-dag'], { RECONCILER_CONFIG: bad });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('airflow.resultTaskID');
    expect(refused.stdout).toBe('');
  });

  it('writes it to a file with --write-dag, and refuses both options at once (exit 2)', async () => {
    const file = join(world.dir, 'scraper_dag.py');
    const written = await world.cli(['setup', 'airflow', '--write-dag', file]);
    expect(written.code, written.stderr).toBe(0);
    expect(written.stdout).toContain(`Wrote ${file}: DAGs scraper_alfabeta, scraper_quebec, scraper_lafa.`);
    expect(readFileSync(file, 'utf8')).toContain('SOURCES = ("alfabeta", "quebec", "lafa")');

    const both = await world.cli(['setup', 'airflow', '--print-dag', '--write-dag', file]);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('give one');
    const unknown = await world.cli(['setup', 'airflow', '--bogus']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('setup airflow --help');
  });

  it('shows its options with --help', async () => {
    const help = await world.cli(['setup', 'airflow', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: jira-airflow-reconciler setup airflow [--print-dag | --write-dag FILE]');
  });
});

describe('--version', () => {
  const world = useWorld();

  it('prints the version from package.json', async () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const result = await world.cli(['--version']);
    expect(result).toMatchObject({ code: 0, stdout: `${version}\n` });
  });
});
