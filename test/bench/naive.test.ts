import { afterEach, describe, expect, it } from 'vitest';
import { mark, startBenchSims, type BenchSims } from '../../src/bench/sims.js';
import { naiveStrategy } from '../../src/bench/strategies.js';
import { since, tally } from '../../src/bench/counting.js';
import { isFinal, seedInFlight, seedReady } from '../../src/bench/seed.js';

const PHASE_MS = 60_000;
let sims: BenchSims | null = null;

afterEach(async () => {
  await sims?.close();
  sims = null;
});

async function passCounts(world: BenchSims, pass: () => Promise<unknown>): Promise<{ jira: Record<string, number>; airflow: Record<string, number> }> {
  const before = mark(world);
  await pass();
  return {
    jira: tally(since(world.jira.log.entries, before.jira)).byRoute,
    airflow: tally(since(world.airflow.log.entries, before.airflow)).byRoute,
  };
}

describe('the naive strategy', () => {
  it('sends one request per read and per write, and takes every ticket to its final status', async () => {
    const world = await startBenchSims({ queuedMs: PHASE_MS, runningMs: PHASE_MS });
    sims = world;
    const tickets = seedReady(world, 3);
    const naive = naiveStrategy(world);

    const triggered = await passCounts(world, () => naive.pass());
    expect(triggered.jira).toEqual({ 'GET /rest/api/3/search/jql': 1, 'PUT /rest/api/3/issue/:key': 3, 'POST /rest/api/3/issue/:key/comment': 3 });
    expect(triggered.airflow).toEqual({ 'POST /api/v1/dags/:dagId/dagRuns': 3 });

    world.advanceAirflow(PHASE_MS);
    const running = await passCounts(world, () => naive.pass());
    expect(running.jira).toEqual({ 'GET /rest/api/3/search/jql': 1, 'GET /rest/api/3/issue/:key': 3, 'PUT /rest/api/3/issue/:key': 3 });
    expect(running.airflow).toEqual({ 'GET /api/v1/dags/:dagId/dagRuns/:dagRunId': 3 });

    world.advanceAirflow(PHASE_MS);
    const ended = await passCounts(world, () => naive.pass());
    expect(ended.jira).toEqual({
      'GET /rest/api/3/search/jql': 1,
      'GET /rest/api/3/issue/:key': 3,
      'PUT /rest/api/3/issue/:key': 3,
      'POST /rest/api/3/issue/:key/comment': 3,
      'GET /rest/api/3/issue/:key/transitions': 3,
      'POST /rest/api/3/issue/:key/transitions': 3,
    });
    expect(ended.airflow).toEqual({
      'GET /api/v1/dags/:dagId/dagRuns/:dagRunId': 3,
      'GET /api/v1/dags/:dagId/dagRuns/:dagRunId/taskInstances/:taskId/xcomEntries/:key': 3,
    });
    expect(tickets.every((t) => isFinal(world, t.key))).toBe(true);
    expect(tickets.map((t) => world.jira.comments(t.key).length)).toEqual([2, 2, 2]);
    expect(world.airflow.runs()).toHaveLength(3);
  });

  it('reads every run it was told about on each pass, and writes nothing when nothing changed', async () => {
    const world = await startBenchSims({ queuedMs: 0, runningMs: 24 * 60 * 60 * 1000 });
    sims = world;
    const naive = naiveStrategy(world);
    naive.adopt(await seedInFlight(world, 4, null));
    const steady = await passCounts(world, () => naive.pass());
    expect(steady.jira).toEqual({ 'GET /rest/api/3/search/jql': 1, 'GET /rest/api/3/issue/:key': 4 });
    expect(steady.airflow).toEqual({ 'GET /api/v1/dags/:dagId/dagRuns/:dagRunId': 4 });
  });
});
