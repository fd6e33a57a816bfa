import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { JiraDeployment } from '../../src/sandbox/jira/deployment.js';
import type { JiraSim } from '../../src/sandbox/jira/server.js';
import { COMPLETED } from './tickets.js';
import { startDaemon } from './daemon-child.js';
import { SLOW_TEST_MS, TIMING, useWorld } from './world.js';

const NAMES = ['Source', 'Run Type', 'Parameters', 'Environment', 'Airflow Run ID', 'Run Status', 'Platform Run ID'];
const SELECTS = ['Source', 'Run Type', 'Environment', 'Run Status'];
const STATUSES = ['Ready to Run', 'Completed', 'Failed - Needs Investigation', 'Cancelled'];
const EXISTING_CONFIG = '# the operator\'s own notes stay\nsources:\n  alfabeta: {}\n  quebec: {}\n  lafa: {}\nhttp:\n  timeoutMs: 20000 # a slow site\n';

function writesOf(jira: JiraSim, since: number): string[] {
  return jira.log.entries.slice(since).filter((entry) => entry.method !== 'GET').map((entry) => `${entry.method} ${entry.path}`);
}

function readsOf(jira: JiraSim, since: number): number {
  return jira.log.entries.slice(since).filter((entry) => entry.method === 'GET').length;
}

/** The printed count must be the one the simulator saw. */
function printedCounts(stdout: string): { reads: number; writes: number } {
  const match = /Sent (\d+) reads? and (\d+) writes? to Jira\./.exec(stdout);
  if (!match) throw new Error(`no request count in:\n${stdout}`);
  return { reads: Number(match[1]), writes: Number(match[2]) };
}

describe.each<JiraDeployment>(['cloud', 'datacenter'])('setup jira on a bare Jira %s', (deployment) => {
  const cloud = deployment === 'cloud';
  const world = useWorld({ jiraDeployment: deployment, jiraMode: 'bare' });
  let configPath = '';

  it('plans exactly what is missing and writes nothing', async () => {
    const since = world.jira.log.entries.length;
    const result = await world.cli(['setup', 'jira']);

    expect(result.code, result.stderr).toBe(1);
    const planned = result.stdout.split('\n').filter((line) => line.startsWith('to make'));
    const expected = [
      ...NAMES.map((name) => `create ${SELECTS.includes(name) ? 'single select' : name === 'Parameters' ? 'multi-line text' : 'single-line text'} field '${name}'`),
      ...(cloud ? SELECTS.map((name) => `add options .* to '${name}'`) : []),
      ...NAMES.map((name) => `put '${name}' on screen 'Default Screen'`),
      ...(cloud ? STATUSES.map((name) => `create status '${name}'`) : []),
    ];
    expect(planned).toHaveLength(expected.length);
    for (const pattern of expected) expect(planned.some((line) => new RegExp(pattern.replace(/[()]/g, '\\$&')).test(line)), pattern).toBe(true);
    expect(result.stdout).toMatch(/options .*'Run Status'.*queued, running, success, failed, cancelled, invalid, waiting|add options queued, running, success, failed, cancelled, invalid, waiting to 'Run Status'/);
    const admin = result.stdout.split('\n').filter((line) => line.startsWith('admin'));
    // Data Center: options and statuses by hand; both: each status into the workflow with its transitions.
    expect(admin).toHaveLength((cloud ? 0 : SELECTS.length + STATUSES.length) + STATUSES.length);
    expect(admin.filter((line) => line.includes("project SCR's workflow")).map((line) => /add status '([^']+)'/.exec(line)?.[1])).toEqual(STATUSES);
    expect(writesOf(world.jira, since)).toEqual([]);
    expect(printedCounts(result.stdout)).toEqual({ reads: readsOf(world.jira, since), writes: 0 });
  }, SLOW_TEST_MS);

  it('--apply makes each missing thing with one request, after a bounded number of reads, and writes the ids into the config file', async () => {
    configPath = world.configFile('reconciler.yaml', EXISTING_CONFIG);
    const since = world.jira.log.entries.length;
    const result = await world.cli(['setup', 'jira', '--apply', '--write-config', configPath]);

    // Still 1: the workflow's transitions are an admin's to add.
    expect(result.code, result.stdout + result.stderr).toBe(1);
    const writes = writesOf(world.jira, since);
    const prefix = cloud ? '/rest/api/3' : '/rest/api/2';
    expect(writes.filter((w) => w === `POST ${prefix}/field`)).toHaveLength(NAMES.length);
    expect(writes.filter((w) => /\/screens\/1\/tabs\/\d+\/fields$/.test(w))).toHaveLength(NAMES.length);
    expect(writes.filter((w) => w.endsWith('/option'))).toHaveLength(cloud ? SELECTS.length : 0);
    expect(writes.filter((w) => w === `POST ${prefix}/statuses`)).toHaveLength(cloud ? STATUSES.length : 0);
    expect(writes).toHaveLength(cloud ? 22 : 14);
    // The site (fields, statuses, workflow, screen and its tab), the token's permissions in the project, plus each new
    // select field's context on Cloud.
    expect(readsOf(world.jira, since)).toBeLessThanOrEqual(cloud ? 7 + SELECTS.length : 8);
    expect(printedCounts(result.stdout)).toEqual({ reads: readsOf(world.jira, since), writes: writes.length });

    const written = readFileSync(configPath, 'utf8');
    expect(written).toContain("# the operator's own notes stay");
    expect(written).toContain('timeoutMs: 20000 # a slow site');
    expect(written).toContain('alfabeta: {}');
    for (const name of NAMES) expect(written).toContain(world.jira.fieldId(name)!);
  }, SLOW_TEST_MS);

  it('after the admin steps it prints, a second --apply sends no write, exits 0, and doctor passes', async () => {
    // What an admin does by hand, as setup listed it.
    if (!cloud) {
      world.jira.addOptions(world.jira.fieldId('Source')!, ['alfabeta', 'quebec', 'lafa']);
      world.jira.addOptions(world.jira.fieldId('Run Type')!, ['FULL_REFRESH', 'DELTA', 'SINGLE_PRODUCT']);
      world.jira.addOptions(world.jira.fieldId('Environment')!, ['dev', 'staging', 'prod']);
      world.jira.addOptions(world.jira.fieldId('Run Status')!, ['queued', 'running', 'success', 'failed', 'cancelled', 'invalid', 'waiting']);
      world.jira.addStatus('Ready to Run', 'indeterminate');
      for (const name of STATUSES.slice(1)) world.jira.addStatus(name, 'done');
    }
    world.jira.addTransition('Submit for run', ['Open', ...STATUSES.slice(1)], 'Ready to Run');
    world.jira.addTransition('Mark done', ['Ready to Run'], 'Completed');
    world.jira.addTransition('Needs investigation', ['Ready to Run'], 'Failed - Needs Investigation');
    world.jira.addTransition('Cancel', ['Ready to Run'], 'Cancelled');

    const since = world.jira.log.entries.length;
    const again = await world.cli(['setup', 'jira', '--apply', '--config', configPath]);
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(writesOf(world.jira, since)).toEqual([]);
    expect(again.stdout).toContain('Jira has everything the reconciler needs.');

    const doctor = await world.cli(['doctor', '--config', configPath]);
    const jiraLines = doctor.stdout.split('\n').filter((line) => /^(PASS|FAIL)\s+jira/.test(line));
    expect(jiraLines.filter((line) => line.startsWith('FAIL')), doctor.stdout).toEqual([]);
    expect(jiraLines.length).toBeGreaterThanOrEqual(10);
    expect(doctor.code, doctor.stdout).toBe(0);
  }, SLOW_TEST_MS);

  it('the daemon finishes a ticket with the written config', async () => {
    const id = (name: string): string => world.jira.fieldId(name)!;
    const { key } = world.jira.createIssue({ summary: 'First request on the new site' });
    world.jira.setField(key, id('Source'), 'alfabeta');
    world.jira.setField(key, id('Run Type'), 'DELTA');
    world.jira.setField(key, id('Environment'), 'dev');
    world.jira.setField(key, id('Parameters'), '{"since": "2026-01-01"}');
    world.jira.moveIssue(key, 'Ready to Run');

    const daemon = startDaemon(world.env({ RECONCILER_CONFIG: configPath, RECONCILE_INTERVAL_SECONDS: '1', METRICS_PORT: '0', LOG_LEVEL: 'info' }));
    try {
      await daemon.until('the ticket to be triggered', () => typeof world.jira.issue(key).fields[id('Airflow Run ID')] === 'string');
      world.advance(TIMING.queuedMs + TIMING.runningMs + 1_000);
      await daemon.until('the ticket to complete', () => world.jira.issue(key).status === COMPLETED);
    } finally {
      expect(await daemon.kill('SIGTERM')).toBe(0);
    }
    const issue = world.jira.issue(key);
    expect(issue.status).toBe(COMPLETED);
    expect(issue.fields[id('Run Status')]).toMatchObject({ value: 'success' });
    expect(issue.fields[id('Airflow Run ID')]).toMatch(new RegExp(`^jira__${key}__`));
  }, SLOW_TEST_MS);
});

describe.each<JiraDeployment>(['cloud', 'datacenter'])('setup jira on Jira %s with a token that is not a Jira admin', (deployment) => {
  const world = useWorld({ jiraDeployment: deployment, jiraMode: 'bare', jiraAdmin: false });

  it('names, one line per refused thing, what an admin must do or which token to use, and exits 1', async () => {
    const result = await world.cli(['setup', 'jira', '--apply']);

    expect(result.code, result.stderr).toBe(1);
    const refused = result.stdout.split('\n').filter((line) => line.startsWith('refused'));
    // Data Center's statuses are an admin's steps anyway: only the fields are refused there.
    expect(refused).toHaveLength(NAMES.length + (deployment === 'cloud' ? STATUSES.length : 0));
    for (const name of NAMES) expect(refused.some((line) => line.includes(`field '${name}'`) && line.includes('a Jira admin must create'))).toBe(true);
    for (const line of refused) expect(line).toContain("or run 'jira-airflow-reconciler setup jira --apply' once with a Jira admin's credentials");
    // Options of a field that was not made are not sent.
    expect(result.stdout.split('\n').filter((line) => line.startsWith('skipped'))).toHaveLength(deployment === 'cloud' ? SELECTS.length : 0);
    expect(result.stdout).toMatch(/screens not read \(Jira refused the read \(403\)/);
  }, SLOW_TEST_MS);

  it('stops at the first read with what to check when the credentials are wrong', async () => {
    const result = await world.cli(['setup', 'jira'], deployment === 'cloud' ? { JIRA_API_TOKEN: 'not-the-token' } : { JIRA_PAT: 'not-the-pat' });

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('setup jira: GET /field answered 401');
    expect(result.stderr).toContain('check the credentials');
  }, SLOW_TEST_MS);
});
