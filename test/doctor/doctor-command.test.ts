import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { doctorSpec } from '../../src/cli/specs.js';
import { commandHelp } from '../../src/cli/usage.js';
import { goodAirflow, goodJira, mockAirflow, mockJira, runDoctor, useSandbox } from './helpers.js';

const box = useSandbox();
let unmatched: string[];
const recordUnmatched = (request: { method?: string; path?: string }) => void unmatched.push(`${request.method ?? '?'} ${request.path ?? ''}`);

beforeAll(() => {
  nock.emitter.on('no match', recordUnmatched);
});
beforeEach(() => {
  unmatched = [];
});
afterEach(() => {
  expect(unmatched).toEqual([]);
});
afterAll(() => {
  nock.emitter.off('no match', recordUnmatched);
});

const EVERY_CHECK = [
  'config',
  'jira deployment',
  'jira credentials',
  'jira project SCR',
  'jira permissions SCR',
  'jira field Source',
  'jira field Run Type',
  'jira field Parameters',
  'jira field Environment',
  'jira field Airflow Run ID',
  'jira field Run Status',
  'jira field Platform Run ID',
  'jira statuses',
  'jira edit screen',
  'jira transition to Completed',
  'jira transition to Failed - Needs Investigation',
  'airflow api',
  'airflow dag scraper_alfabeta',
  'airflow dag scraper_quebec',
  'airflow dag scraper_lafa',
  'state file',
  'state lock',
];

describe('doctor', () => {
  it('passes every check with a healthy setup and exits 0, reading Jira and Airflow with GETs only', async () => {
    const jira = mockJira(goodJira());
    const airflow = mockAirflow(goodAirflow());

    const run = await runDoctor(box.env);

    expect(run.code).toBe(0);
    const statusLines = run.out.split('\n').filter((line) => /^(PASS|FAIL) /.test(line));
    expect(statusLines).toHaveLength(EVERY_CHECK.length);
    expect(statusLines.every((line) => line.startsWith('PASS  '))).toBe(true);
    for (const name of EVERY_CHECK) expect(run.check(name).status).toBe('PASS');
    expect(run.out).toContain(`All ${EVERY_CHECK.length} checks passed.`);
    expect(run.out).not.toContain('fix:');
    jira.done();
    airflow.done();
  });

  it('shows who Jira signed in and which Airflow answered', async () => {
    const jira = mockJira(goodJira());
    const airflow = mockAirflow(goodAirflow());

    const run = await runDoctor(box.env);

    expect(run.check('jira credentials').detail).toContain('Reconciler Bot <bot@example.com>');
    expect(run.check('airflow api').detail).toBe('Airflow 2.10.5 at https://airflow.example.com/api/v1');
    expect(run.check('state file').detail).toContain('does not exist yet; the first pass creates it');
    jira.done();
    airflow.done();
  });

  it('prints one JSON object with --json', async () => {
    const jira = mockJira(goodJira());
    const airflow = mockAirflow(goodAirflow());

    const run = await runDoctor(box.env, ['--json']);

    const report = JSON.parse(run.out) as { ok: boolean; checks: Array<{ name: string; ok: boolean }> };
    expect(run.code).toBe(0);
    expect(report.ok).toBe(true);
    expect(report.checks.map((check) => check.name)).toEqual(EVERY_CHECK);
    jira.done();
    airflow.done();
  });

  it('fails the config check alone, with its problems, and asks nothing of Jira or Airflow', async () => {
    const run = await runDoctor({ ...box.env, JIRA_BASE_URL: '', AIRFLOW_API_VERSION: 'v9' });

    expect(run.code).toBe(1);
    const config = run.check('config');
    expect(config.status).toBe('FAIL');
    expect(config.detail).toContain('JIRA_BASE_URL');
    expect(config.detail).toContain('AIRFLOW_API_VERSION');
    expect(config.fix).toContain('fix these in the config file or the environment');
    expect(run.out.split('\n').filter((line) => /^(PASS|FAIL) /.test(line))).toHaveLength(1);
  });

  it('blanks a secret even when an upstream echoes it back in an error', async () => {
    const world = goodJira();
    world.myself = [401, { errorMessages: [`Bad token ${box.env.JIRA_API_TOKEN ?? ''} for bot@example.com`] }];
    const jira = mockJira(world);
    const airflow = mockAirflow(goodAirflow());

    const run = await runDoctor(box.env);

    expect(run.code).toBe(1);
    expect(run.check('jira credentials').detail).toContain('Bad token [REDACTED]');
    jira.done();
    airflow.done();
  });

  it('describes --json in its help', () => {
    expect(commandHelp(doctorSpec)).toContain('--json');
  });
});
