import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PassSummary } from '../../src/reconcile/summary.js';
import type { ApiVersion } from '../../src/sandbox/airflow/index.js';
import type { JiraDeployment } from '../../src/sandbox/jira/deployment.js';
import { duplicateMarkers, featureCli, marked, runIdsOf, waitFor } from './features-helpers.js';
import { COMPLETED, readyTicket, view } from './tickets.js';
import { TIMING, useWorld, type World } from './world.js';

/** Enough sim time for a run to start and end. */
const RUN_MS = TIMING.queuedMs + TIMING.runningMs + 1_000;
/** Several CLI passes on a loaded machine. */
const STORY_MS = 120_000;

interface Variant {
  jira: JiraDeployment;
  airflow: ApiVersion;
  running: boolean;
}

const VARIANTS: Variant[] = [
  { jira: 'cloud', airflow: 'v1', running: true },
  { jira: 'cloud', airflow: 'v2', running: true },
  { jira: 'datacenter', airflow: 'v1', running: true },
  { jira: 'datacenter', airflow: 'v2', running: true },
  { jira: 'cloud', airflow: 'v1', running: false },
  { jira: 'datacenter', airflow: 'v2', running: false },
];

const config = (running: boolean): string => `${running ? 'jira:\n  statuses:\n    running: Running\n' : ''}environments:
  dev: {}
  staging:
    maxInFlight: 1
  prod: {}
`;

/** Garbage over the state file, its -wal and -shm gone: what a disk failure or a bad restore leaves. */
function corrupt(world: World): void {
  for (const suffix of ['-wal', '-shm']) rmSync(`${world.db}${suffix}`, { force: true });
  writeFileSync(world.db, 'this is not a SQLite database '.repeat(200));
}

function remove(world: World): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${world.db}${suffix}`, { force: true });
}

/**
 * Six requests (four capped on staging, two on dev) and one more later; the state file is corrupted
 * while runs are in flight, then deleted after they ended unseen. Every ticket must end with exactly one
 * run and one comment of each kind, and the staging runs never overlap.
 */
describe.each(VARIANTS)('a lost state file: Jira $jira x Airflow $airflow, running status: $running', ({ jira, airflow, running }) => {
  const world = useWorld({ jiraDeployment: jira, apiVersion: airflow });
  const reconciler = featureCli(world, () => world.configFile('lost-state.yaml', config(running)));
  const inFlightStatus = running ? 'Running' : 'Ready to Run';
  const staging: string[] = [];
  const dev: string[] = [];
  const runs = (issue: string): string[] => runIdsOf(world.airflow.runs(), issue);

  /** Passes (at most `bound`) until `done` holds; the count of passes run. */
  async function passesUntil(done: () => boolean, bound: number): Promise<number> {
    for (let pass = 1; pass <= bound; pass++) {
      await reconciler.pass();
      if (done()) return pass;
    }
    throw new Error(`not done after ${bound} passes`);
  }

  it('corrupt file with runs in flight: moved aside; in-flight tickets followed, the cap counted from Airflow', async () => {
    for (let i = 0; i < 4; i++) staging.push(readyTicket(world.jira, { source: 'quebec', environment: 'staging' }));
    for (let i = 0; i < 2; i++) dev.push(readyTicket(world.jira, { source: 'alfabeta', environment: 'dev' }));
    const first = await reconciler.pass();
    expect(first.triggered).toBe(3);
    expect(first.waiting).toBe(3);
    world.advance(RUN_MS);
    await passesUntil(() => runs(staging[1]!).length === 1, 3);
    dev.push(readyTicket(world.jira, { source: 'lafa', environment: 'dev' }));
    await reconciler.pass();
    // In flight now: the second staging request and the third dev one; two staging requests wait.
    for (const issue of [staging[1]!, dev[2]!]) expect(view(world.jira, issue)).toMatchObject({ status: inFlightStatus, runStatus: 'queued' });
    for (const issue of [staging[2]!, staging[3]!]) expect(view(world.jira, issue).runStatus).toBe('waiting');
    const runsBefore = world.airflow.runs().length;

    corrupt(world);
    const result = await reconciler.cli(['reconcile', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const aside = readdirSync(world.dir).filter((name) => name.startsWith(`${basename(world.db)}.corrupt-`) && !/-(wal|shm)$/.test(name));
    expect(aside).toHaveLength(1);
    expect(result.stderr).toContain(aside[0]);
    const summary = result.json<PassSummary>();
    expect(summary.errors).toBe(0);
    expect(summary.triggered).toBe(0);
    // The slot is held by the run Airflow has in flight, which the fresh file did not know.
    expect(world.airflow.runs()).toHaveLength(runsBefore);
    for (const issue of [staging[2]!, staging[3]!]) expect(runs(issue)).toEqual([]);
    expect((await reconciler.cli(['runs', '--json', '--issue', staging[1]!])).stdout).toContain(runs(staging[1]!)[0]);
  }, STORY_MS);

  it('deleted file after those runs ended unseen: each finished with one outcome comment naming its run, the next staging request started', async () => {
    world.advance(RUN_MS);
    remove(world);
    await reconciler.pass();
    expect(existsSync(world.db)).toBe(true);
    for (const issue of [staging[1]!, dev[2]!]) {
      const [dagRunId] = runs(issue);
      expect(view(world.jira, issue)).toMatchObject({ status: COMPLETED, runStatus: 'success', airflowRunId: dagRunId });
      const finished = marked(world.jira, issue, `finished:${dagRunId}`);
      expect(finished).toHaveLength(1);
      expect(finished[0]).toContain(dagRunId);
    }
    expect(runs(staging[2]!)).toHaveLength(1);
    expect(runs(staging[3]!)).toEqual([]);
  }, STORY_MS);

  it('deleted again with the next staging run in flight: the last request keeps waiting; then every ticket ends once', async () => {
    remove(world);
    await reconciler.pass();
    expect(runs(staging[3]!)).toEqual([]);
    expect(view(world.jira, staging[2]!).status).toBe(inFlightStatus);

    world.advance(RUN_MS);
    await passesUntil(() => runs(staging[3]!).length === 1, 3);
    world.advance(RUN_MS);
    await passesUntil(() => [...staging, ...dev].every((issue) => world.jira.issue(issue).status === COMPLETED), 3);

    for (const issue of [...staging, ...dev]) {
      const ids = runs(issue);
      expect({ issue, runs: ids.length }).toEqual({ issue, runs: 1 });
      expect({ issue, status: view(world.jira, issue).status }).toEqual({ issue, status: COMPLETED });
      expect({ issue, started: marked(world.jira, issue, `started:${ids[0]}`).length }).toEqual({ issue, started: 1 });
      expect({ issue, finished: marked(world.jira, issue, `finished:${ids[0]}`).length }).toEqual({ issue, finished: 1 });
      expect({ issue, duplicates: duplicateMarkers(world.jira, issue) }).toEqual({ issue, duplicates: [] });
    }
    // The cap held through both losses: the staging runs never overlapped.
    const stagingRuns = staging.map((issue) => world.airflow.runs().find((run) => run.conf.jira_issue_key === issue)!);
    for (let i = 1; i < stagingRuns.length; i++) expect(stagingRuns[i]!.queuedAt).toBeGreaterThanOrEqual(stagingRuns[i - 1]!.endDate!);
  }, STORY_MS);
});

/**
 * The report's own story: a daemon SIGKILLed with requests in flight and waiting, garbage over its state
 * file, a daemon started again. Every ticket ends once; the staging runs never overlap.
 */
describe.each([
  { jira: 'cloud', airflow: 'v2' },
  { jira: 'datacenter', airflow: 'v1' },
] as const)('a daemon SIGKILLed, then its state file corrupted: Jira $jira x Airflow $airflow', ({ jira, airflow }) => {
  const world = useWorld({ jiraDeployment: jira, apiVersion: airflow });
  const reconciler = featureCli(world, () => world.configFile('lost-daemon.yaml', config(true)));
  const status = (issue: string): string => world.jira.issue(issue).status;

  it('the restarted daemon follows the tickets in Running to their end and keeps the cap', async () => {
    const staging = [0, 1, 2, 3].map(() => readyTicket(world.jira, { source: 'quebec', environment: 'staging' }));
    const dev = [0, 1].map(() => readyTicket(world.jira, { source: 'alfabeta', environment: 'dev' }));
    let daemon = await reconciler.daemon();
    await waitFor('the first staging and both dev tickets in Running', () => [staging[0]!, ...dev].every((issue) => status(issue) === 'Running'), 30_000);
    world.advance(RUN_MS);
    await waitFor('the second staging ticket in Running', () => status(staging[1]!) === 'Running', 30_000);
    dev.push(readyTicket(world.jira, { source: 'lafa', environment: 'dev' }));
    await waitFor('the third dev ticket in Running', () => status(dev[2]!) === 'Running', 30_000);
    await daemon.kill();

    corrupt(world);
    daemon = await reconciler.daemon();
    await daemon.passes(2);
    expect(readdirSync(world.dir).filter((name) => name.startsWith(`${basename(world.db)}.corrupt-`) && !/-(wal|shm)$/.test(name))).toHaveLength(1);
    // The second staging run is still in flight: the third request may not start.
    expect(runIdsOf(world.airflow.runs(), staging[2]!)).toEqual([]);

    world.advance(RUN_MS);
    await waitFor('the third staging ticket in Running', () => status(staging[2]!) === 'Running', 30_000);
    world.advance(RUN_MS);
    await waitFor('the last staging ticket in Running', () => status(staging[3]!) === 'Running', 30_000);
    world.advance(RUN_MS);
    await waitFor('every ticket completed', () => [...staging, ...dev].every((issue) => status(issue) === COMPLETED), 30_000);
    await daemon.morePasses();
    expect(await daemon.stop()).toBe(0);

    for (const issue of [...staging, ...dev]) {
      const ids = runIdsOf(world.airflow.runs(), issue);
      expect({ issue, runs: ids.length }).toEqual({ issue, runs: 1 });
      expect({ issue, view: view(world.jira, issue) }).toMatchObject({ issue, view: { status: COMPLETED, runStatus: 'success', airflowRunId: ids[0] } });
      expect({ issue, finished: marked(world.jira, issue, `finished:${ids[0]}`).length }).toEqual({ issue, finished: 1 });
      expect({ issue, duplicates: duplicateMarkers(world.jira, issue) }).toEqual({ issue, duplicates: [] });
    }
    const stagingRuns = staging.map((issue) => world.airflow.runs().find((run) => run.conf.jira_issue_key === issue)!);
    for (let i = 1; i < stagingRuns.length; i++) expect(stagingRuns[i]!.queuedAt).toBeGreaterThanOrEqual(stagingRuns[i - 1]!.endDate!);
  }, STORY_MS);
});
