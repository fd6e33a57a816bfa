import { describe, expect, it } from 'vitest';
import type { ApiVersion } from '../../src/sandbox/airflow/index.js';
import type { CliResult } from './cli.js';
import { readyTicket, view } from './tickets.js';
import { SLOW_TEST_MS, useWorld, type World } from './world.js';

const JIRA_USER = 'bot@example.com';
const JIRA_TOKEN = 'tok-S3CRET-jira-123';
const AIRFLOW_USER = 'admin';
const AIRFLOW_PASS = 'pw-S3CRET-airflow-456';

const base64 = (text: string): string => Buffer.from(text).toString('base64');

describe.each<ApiVersion>(['v1', 'v2'])('secrets at LOG_LEVEL=debug, Airflow API %s', (apiVersion) => {
  const outputs: CliResult[] = [];
  const world = useWorld({
    apiVersion,
    jiraUsers: [{ email: JIRA_USER, token: JIRA_TOKEN }],
    airflowUsers: [{ username: AIRFLOW_USER, password: AIRFLOW_PASS }],
    env: { JIRA_API_TOKEN: JIRA_TOKEN, AIRFLOW_PASS, LOG_LEVEL: 'debug' },
  });

  it('never appear in the output, nor their base64, nor any authorization header value, even when requests fail', async () => {
    const failingTrigger = readyTicket(world.jira, { source: 'quebec' });
    const failingComment = readyTicket(world.jira, { source: 'lafa' });
    const refused = (status: number) => ({ kind: 'status' as const, status });
    world.airflow.faults.inject({ method: 'POST', path: `/api/${apiVersion}/dags/scraper_quebec/dagRuns`, fault: refused(500), times: 1 });
    world.airflow.faults.inject({ method: 'POST', path: `/api/${apiVersion}/dags/scraper_quebec/dagRuns`, fault: refused(401), times: 1 });
    // The started comment goes with the fields in one edit of the ticket.
    const edit = new RegExp(`^/rest/api/3/issue/${failingComment}$`);
    world.jira.faults.inject({ method: 'PUT', path: edit, fault: refused(500), times: 1 });
    world.jira.faults.inject({ method: 'PUT', path: edit, fault: refused(401), times: 1 });

    outputs.push(await world.cli(['reconcile']));
    expect(outputs[0]!.code, 'the refused requests fail the pass').toBe(1);
    expect(world.airflow.faults.pending()).toEqual([]);
    expect(world.jira.faults.pending()).toEqual([]);
    outputs.push(await world.cli(['reconcile']));
    expect(outputs[1]!.code).toBe(0);
    expect(view(world.jira, failingTrigger).runStatus).toBe('queued');
    expect(view(world.jira, failingComment).comments).toHaveLength(1);

    const text = outputs.map((o) => `${o.stdout}\n${o.stderr}`).join('\n');
    expect(text, 'the debug log was written').toMatch(/"level":20/);
    expect(text, 'the failures were logged').toMatch(/401/);
    const secrets = [JIRA_TOKEN, AIRFLOW_PASS, base64(`${JIRA_USER}:${JIRA_TOKEN}`), base64(`${AIRFLOW_USER}:${AIRFLOW_PASS}`), ...issuedTokens(world)];
    for (const secret of secrets) expect(text.includes(secret), `output contains ${secret}`).toBe(false);
    expect(text).not.toMatch(/\b(Basic|Bearer)\s+[A-Za-z0-9+/=._-]{8,}/);
    expect(text).not.toMatch(/"authorization"\s*:\s*"(?!\[Redacted\])[^"]+"/i);
  }, SLOW_TEST_MS);
});

/** Airflow 3 hands out bearer tokens at /auth/token; they are secrets too. */
function issuedTokens(world: World): string[] {
  return world.airflow.log.entries
    .filter((entry) => entry.path === '/auth/token' && entry.status < 300)
    .map((entry) => (entry.responseBody as { access_token?: string }).access_token ?? '')
    .filter((token) => token !== '');
}
