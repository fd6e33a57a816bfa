import { describe, expect, it } from 'vitest';
import type { PassSummary } from '../../src/reconcile/summary.js';
import type { JiraDeployment } from '../../src/sandbox/jira/deployment.js';
import { startDaemon } from './daemon-child.js';
import { commentBodies, commentLinks, jiraPaths, jiraWrites } from './dialect-views.js';
import { triggers, writes } from './requests.js';
import { COMPLETED, FAILED, readyMoveId, readyTicket, view } from './tickets.js';
import { SLOW_TEST_MS, TIMING, UPSTREAM_MATRIX, useWorld } from './world.js';


const PREFIX: Record<JiraDeployment, string> = { cloud: '/rest/api/3/', datacenter: '/rest/api/2/' };

/**
 * Every supported pairing, one world each, one story told in passes: a dry run, then valid and bad
 * tickets, a cancel while running, the outcome, a re-run, and a daemon killed between passes.
 */
describe.each(UPSTREAM_MATRIX)('Jira $jira x Airflow API $airflow', ({ jira: jiraDeployment, airflow: apiVersion }) => {
  const key = { happy: '', cancel: '', badSource: '', badParams: '' };
  let happyRunId = '';

  const world = useWorld({ jiraDeployment, apiVersion }, (world) => {
    key.happy = readyTicket(world.jira, { source: 'alfabeta', runType: 'FULL_REFRESH', environment: 'prod', params: { limit: 5 } });
    key.cancel = readyTicket(world.jira, { source: 'quebec' });
    key.badSource = readyTicket(world.jira, { source: 'atlantis' });
    key.badParams = readyTicket(world.jira, { source: 'lafa', params: '{"limit": 10,' });
    happyRunId = `jira__${key.happy}__${readyMoveId(world.jira, key.happy)}`;
  });

  function runsOf(issue: string): string[] {
    return world.airflow.runs().filter((run) => run.conf.jira_issue_key === issue).map((run) => run.dagRunId);
  }

  it('dry run: plans the trigger and the rejections, writes nothing anywhere', async () => {
    const result = await world.cli(['reconcile', '--dry-run', '--json']);

    expect(result.code, result.stderr).toBe(0);
    const summary = result.json<PassSummary>();
    expect(summary.planned).toContainEqual(expect.objectContaining({ kind: 'trigger', issue: key.happy, dagId: 'scraper_alfabeta', dagRunId: happyRunId }));
    expect(summary.planned).toContainEqual(expect.objectContaining({ kind: 'jira-transition', issue: key.badSource, to: FAILED }));
    expect(jiraWrites(world.jira.log.entries)).toEqual([]);
    expect(writes(world.airflow.log.entries)).toEqual([]);
    expect(world.airflow.runs()).toEqual([]);
    for (const issue of Object.values(key)) expect(view(world.jira, issue).comments).toEqual([]);
  });

  it('happy path and bad input: valid tickets get one run and one comment, bad ones one rejection and no run', async () => {
    const summary = await world.pass();

    expect(summary).toMatchObject({ triggered: 2, rejected: 2, errors: 0 });
    const run = world.airflow.run('scraper_alfabeta', happyRunId);
    // The Parameters field reached the DAG parsed: ADF on Cloud, a plain string on Data Center.
    expect(run?.conf).toEqual({ jira_issue_key: key.happy, source: 'alfabeta', run_type: 'FULL_REFRESH', params: { limit: 5 }, environment: 'prod' });
    if (apiVersion === 'v2') expect(run?.logicalDate).toBeNull();
    const happy = view(world.jira, key.happy);
    expect(happy).toMatchObject({ status: 'Ready to Run', runStatus: 'queued', airflowRunId: happyRunId });
    expect(happy.comments).toHaveLength(1);
    expect(happy.comments[0]).toMatch(/scraper\\?_alfabeta/);
    expect(commentLinks(world.jira, key.happy, jiraDeployment)[0]).toMatch(new RegExp(`^${world.airflow.url}/dags/scraper_alfabeta/.*${happyRunId}`));

    for (const [issue, field, says] of [
      [key.badSource, 'Source', /"atlantis" is not allowed/],
      [key.badParams, 'Parameters', /is not valid JSON/],
    ] as const) {
      const ticket = view(world.jira, issue);
      expect(ticket).toMatchObject({ status: FAILED, runStatus: 'invalid', airflowRunId: null });
      expect(ticket.comments).toHaveLength(1);
      expect(ticket.comments[0]?.split('\n').some((line) => line.includes(`${field}:`) && says.test(line)), ticket.comments[0]).toBe(true);
      expect(runsOf(issue)).toEqual([]);
    }
  });

  it("speaks the deployment's dialect: its REST version only, comments as ADF (Cloud) or wiki-markup strings (Data Center)", () => {
    const paths = jiraPaths(world.jira);
    expect(paths.length).toBeGreaterThan(0);
    expect(paths.filter((path) => !path.startsWith(PREFIX[jiraDeployment]))).toEqual([]);
    const bodies = commentBodies(world.jira.log.entries);
    expect(bodies.length).toBeGreaterThanOrEqual(3);
    for (const body of bodies) {
      if (jiraDeployment === 'datacenter') expect(typeof body).toBe('string');
      else expect(body).toMatchObject({ type: 'doc', version: 1 });
    }
  });

  it('cancel: a ticket moved to Cancelled while its run runs has the run failed in Airflow, Run Status cancelled, one comment', async () => {
    world.advance(TIMING.queuedMs + 1_000);
    await world.pass();
    const dagRunId = view(world.jira, key.cancel).airflowRunId!;
    expect(world.airflow.run('scraper_quebec', dagRunId)?.state).toBe('running');

    world.jira.moveIssue(key.cancel, 'Cancelled');
    const summary = await world.pass();

    expect(summary.cancelled).toBe(1);
    expect(world.airflow.run('scraper_quebec', dagRunId)?.state).toBe('failed');
    const ticket = view(world.jira, key.cancel);
    expect(ticket).toMatchObject({ status: 'Cancelled', runStatus: 'cancelled' });
    expect(ticket.comments).toHaveLength(2);
    expect(ticket.comments[1]).toContain('cancelled');
  });

  it('the outcome: Completed with the platform run id and one outcome comment; then passes write nothing', async () => {
    world.advance(TIMING.runningMs);
    const summary = await world.pass();

    expect(summary.finished).toBe(1);
    const result = world.airflow.run('scraper_alfabeta', happyRunId)!.result as { run_id: string; item_count: number };
    const happy = view(world.jira, key.happy);
    expect(happy).toMatchObject({ status: COMPLETED, runStatus: 'success', platformRunId: result.run_id });
    expect(happy.comments).toHaveLength(2);
    expect(happy.comments[1]).toContain(`Items: ${result.item_count.toLocaleString('en-US')}.`);

    world.jira.log.clear();
    world.airflow.log.clear();
    world.advance(60_000);
    const quiet = await world.pass(['--full']);
    expect(quiet.triggered + quiet.finished + quiet.rejected + quiet.errors).toBe(0);
    expect(jiraWrites(world.jira.log.entries)).toEqual([]);
    expect(triggers(world.airflow.log.entries)).toEqual([]);
    expect(view(world.jira, key.cancel).comments).toHaveLength(2);
    for (const issue of [key.badSource, key.badParams]) expect(view(world.jira, issue).comments).toHaveLength(1);
  });

  it('re-run: moved back to Ready to Run, the ticket is a new request with a new run id', async () => {
    world.jira.moveIssue(key.happy, 'Ready to Run');
    const secondRunId = `jira__${key.happy}__${readyMoveId(world.jira, key.happy)}`;
    expect(secondRunId).not.toBe(happyRunId);

    expect((await world.pass()).triggered).toBe(1);
    world.advance(TIMING.queuedMs + TIMING.runningMs + 1_000);
    expect((await world.pass()).finished).toBe(1);

    expect(runsOf(key.happy)).toEqual([happyRunId, secondRunId]);
    const happy = view(world.jira, key.happy);
    expect(happy).toMatchObject({ status: COMPLETED, runStatus: 'success', airflowRunId: secondRunId });
    expect(happy.comments).toHaveLength(4);
  }, SLOW_TEST_MS);

  it('crash-restart: a daemon killed (SIGKILL) between passes and started again starts no second run and posts no second comment', async () => {
    const crash = readyTicket(world.jira, { source: 'lafa', params: { product_id: 'LF-9' } });
    const env = world.env({ RECONCILE_INTERVAL_SECONDS: '1', METRICS_PORT: '0', LOG_LEVEL: 'info' });

    const first = startDaemon(env);
    await first.until('the first daemon to trigger the ticket', () => first.passes() >= 1 && view(world.jira, crash).comments.length === 1);
    expect(await first.kill('SIGKILL')).toBeNull();
    expect(view(world.jira, crash)).toMatchObject({ status: 'Ready to Run', runStatus: 'queued' });

    const second = startDaemon(env);
    try {
      await second.until('two passes of the restarted daemon', () => second.passes() >= 2);
      world.advance(TIMING.queuedMs + TIMING.runningMs + 1_000);
      await second.until('the ticket to complete', () => view(world.jira, crash).status === COMPLETED);
    } finally {
      expect(await second.kill('SIGTERM')).toBe(0);
    }

    expect(runsOf(crash)).toHaveLength(1);
    const ticket = view(world.jira, crash);
    expect(ticket).toMatchObject({ status: COMPLETED, runStatus: 'success' });
    expect(ticket.comments).toHaveLength(2);
    const rows = (await world.cli(['runs', '--json', '--issue', crash])).json<Array<{ state: string }>>();
    expect(rows.map((row) => row.state)).toEqual(['success']);
  }, SLOW_TEST_MS);
});
