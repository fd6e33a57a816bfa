import { readdirSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PassSummary } from '../../src/reconcile/summary.js';
import { duplicateMarkers, featureCli, marked, runIdsOf } from './features-helpers.js';
import { COMPLETED, FAILED, readyTicket, view } from './tickets.js';
import { SLOW_TEST_MS, TIMING, useWorld, type World } from './world.js';

const HOLD = 'reconciler-hold';
const APPROVAL = 'prod-approved';
const config = (lafaSuspended: boolean): string => `environments:
  dev: {}
  staging:
    maxInFlight: 1
  prod:
    approvalLabel: ${APPROVAL}
sources:
  alfabeta: {}
  quebec: {}
  lafa:
    suspended: ${lafaSuspended}
watchdog:
  queuedMinutes: 5
`;
const RUN_MS = TIMING.queuedMs + TIMING.runningMs + 1_000;

function labelled(world: World, key: string, labels: string[]): void {
  world.jira.setField(key, 'labels', labels);
}

describe.each(['v1', 'v2'] as const)('operating guards through the built CLI (Airflow %s)', (apiVersion) => {
  const key = { prod: '', held: '', heldMidRun: '', suspended: '', stuck: '', capped: ['', '', ''] };
  let suspended = true;
  const world = useWorld({ apiVersion }, (world) => {
    key.prod = readyTicket(world.jira, { source: 'quebec', environment: 'prod' });
    key.held = world.jira.createIssue({ source: 'quebec', runType: 'DELTA', environment: 'dev', params: {} }).key;
    labelled(world, key.held, [HOLD]);
    world.jira.moveIssue(key.held, 'Ready to Run');
    key.heldMidRun = readyTicket(world.jira, { source: 'quebec' });
    key.suspended = readyTicket(world.jira, { source: 'lafa' });
    key.stuck = readyTicket(world.jira, { source: 'alfabeta' });
    key.capped = [0, 1, 2].map(() => readyTicket(world.jira, { source: 'quebec', environment: 'staging' }));
  });
  const reconciler = featureCli(world, () => world.configFile('guards.yaml', config(suspended)));
  const runs = (issue: string): string[] => runIdsOf(world.airflow.runs(), issue);

  it('first pass: prod without its label rejected, held and suspended tickets untouched, the cap queues the rest', async () => {
    const summary = await reconciler.pass();

    expect(view(world.jira, key.prod)).toMatchObject({ status: FAILED, runStatus: 'invalid' });
    expect(view(world.jira, key.prod).comments).toHaveLength(1);
    expect(view(world.jira, key.prod).comments[0]).toContain(`"${APPROVAL}"`);
    expect(runs(key.prod)).toEqual([]);

    for (const issue of [key.held, key.suspended]) {
      expect(view(world.jira, issue)).toEqual({ status: 'Ready to Run', runStatus: null, airflowRunId: null, platformRunId: null, comments: [] });
      expect(runs(issue)).toEqual([]);
    }
    expect(summary.held).toBe(2);

    const [first, second, third] = key.capped as [string, string, string];
    expect(runs(first)).toHaveLength(1);
    for (const issue of [second, third]) {
      expect(view(world.jira, issue)).toMatchObject({ status: 'Ready to Run', runStatus: 'waiting' });
      expect(marked(world.jira, issue, 'waiting:')).toHaveLength(1);
      expect(runs(issue)).toEqual([]);
    }
    expect(summary.waiting).toBe(2);
    expect(runs(key.heldMidRun)).toHaveLength(1);
    expect(runs(key.stuck)).toHaveLength(1);
  }, SLOW_TEST_MS);

  it('a DAG paused after the trigger: one stuck comment naming it; a hold mid-run writes nothing; the cap starts the next in order', async () => {
    world.airflow.setPaused('scraper_alfabeta', true);
    labelled(world, key.heldMidRun, [HOLD]);
    const commentsBefore = view(world.jira, key.heldMidRun).comments.length;
    world.advance(6 * 60_000);
    await reconciler.pass();
    await reconciler.pass();

    const stuck = marked(world.jira, key.stuck, 'stuck:');
    expect(stuck).toHaveLength(1);
    expect(stuck[0]).toMatch(/queued for \d+ minutes/);
    expect(stuck[0]).toContain('scraper_alfabeta is paused');

    // Its run ended while held: the ticket shows nothing of it yet.
    expect(world.airflow.run('scraper_quebec', runs(key.heldMidRun)[0]!)?.state).toBe('success');
    expect(view(world.jira, key.heldMidRun)).toMatchObject({ status: 'Ready to Run' });
    expect(view(world.jira, key.heldMidRun).comments).toHaveLength(commentsBefore);

    const [first, second, third] = key.capped as [string, string, string];
    expect(view(world.jira, first).status).toBe(COMPLETED);
    expect(runs(second)).toHaveLength(1);
    expect(runs(third)).toEqual([]);
    expect(view(world.jira, third).runStatus).toBe('waiting');
  }, SLOW_TEST_MS);

  it('labels added and the suspension lifted: each resumes where it stopped, once', async () => {
    labelled(world, key.prod, [APPROVAL]);
    world.jira.moveIssue(key.prod, 'Ready to Run');
    labelled(world, key.held, []);
    labelled(world, key.heldMidRun, []);
    suspended = false;
    await reconciler.pass();

    expect(runs(key.prod)).toHaveLength(1);
    expect(runs(key.held)).toHaveLength(1);
    expect(runs(key.suspended)).toHaveLength(1);
    expect(view(world.jira, key.heldMidRun)).toMatchObject({ status: COMPLETED, runStatus: 'success' });
    expect(runs(key.heldMidRun)).toHaveLength(1);
  }, SLOW_TEST_MS);

  it('garbage over the state file between passes: moved aside, rebuilt, no duplicate run or comment, the cap still holds', async () => {
    writeFileSync(world.db, 'this is not a SQLite database '.repeat(200));
    const result = await reconciler.cli(['reconcile', '--json']);
    expect(result.code).toBe(0);
    const aside = readdirSync(world.dir).filter((name) => name.startsWith(`${basename(world.db)}.corrupt-`) && !/-(wal|shm)$/.test(name));
    expect(aside).toHaveLength(1);
    expect(result.stderr).toContain(aside[0]);
    expect(result.json<PassSummary>().errors).toBe(0);

    const [, second, third] = key.capped as [string, string, string];
    expect(runs(third)).toEqual([]);
    world.advance(RUN_MS);
    // The slot the second frees is given in the next pass, which works out who may start from the store.
    await reconciler.pass();
    await reconciler.pass();
    expect(runs(third)).toHaveLength(1);
    expect(world.airflow.run('scraper_quebec', runs(second)[0]!)?.state).toBe('success');
    world.advance(RUN_MS);
    await reconciler.pass();
    await reconciler.pass();

    for (const issue of [key.prod, key.held, key.heldMidRun, key.suspended, ...key.capped]) {
      expect({ issue, status: view(world.jira, issue).status }).toEqual({ issue, status: COMPLETED });
      expect({ issue, runs: runs(issue).length }).toEqual({ issue, runs: 1 });
      expect({ issue, duplicates: duplicateMarkers(world.jira, issue) }).toEqual({ issue, duplicates: [] });
    }
    expect(marked(world.jira, key.stuck, 'stuck:')).toHaveLength(1);
    expect(runs(key.stuck)).toHaveLength(1);
    // The cap held across the loss: the three staging runs never overlapped.
    const staging = key.capped.map((issue) => world.airflow.runs().find((run) => run.conf.jira_issue_key === issue)!);
    for (let i = 1; i < staging.length; i++) expect(staging[i]!.queuedAt).toBeGreaterThanOrEqual(staging[i - 1]!.endDate!);
  }, SLOW_TEST_MS);
});
