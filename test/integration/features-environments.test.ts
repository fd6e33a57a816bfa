import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PassSummary } from '../../src/reconcile/summary.js';
import { startAirflowSim, type AirflowSim } from '../../src/sandbox/airflow/index.js';
import { duplicateMarkers, featureCli, marked, runIdsOf, waitFor } from './features-helpers.js';
import { COMPLETED, readyTicket, view } from './tickets.js';
import { SETUP_TIMEOUT_MS, SLOW_TEST_MS, TIMING, useWorld } from './world.js';

/** Enough sim time for a run to start and end. */
const RUN_MS = TIMING.queuedMs + TIMING.runningMs + 1_000;
const PROD_USER = { username: 'prod-bot', password: 'prod-secret' };

/**
 * Two Airflows: the world's (dev and staging, AIRFLOW_* credentials) and a second one for prod, an
 * Airflow 3 behind its own user (AIRFLOW_PROD_USER / AIRFLOW_PROD_PASS).
 */
describe('environments with their own Airflow through the built CLI', () => {
  const key = { dev: '', prod: '', devWhileDown: '', prodWhileDown: '' };
  let prod: AirflowSim;
  const world = useWorld({ apiVersion: 'v1' }, (world) => {
    key.dev = readyTicket(world.jira, { source: 'alfabeta', environment: 'dev' });
    key.prod = readyTicket(world.jira, { source: 'quebec', environment: 'prod' });
  });
  beforeAll(async () => {
    prod = await startAirflowSim({ now: () => world.now(), apiVersion: 'v2', timing: TIMING, users: [PROD_USER] });
  }, SETUP_TIMEOUT_MS);
  afterAll(async () => {
    await prod?.close();
  });
  const config = (): string =>
    world.configFile(
      'environments.yaml',
      `http:
  retries: 0
environments:
  dev: {}
  staging: {}
  prod:
    airflowBaseUrl: ${prod.url}
    airflowApiVersion: v2
`,
    );
  const reconciler = featureCli(world, config, () => ({ AIRFLOW_PROD_USER: PROD_USER.username, AIRFLOW_PROD_PASS: PROD_USER.password }));

  /** The ticket ran once, on this Airflow, and ended Completed with that run's id and one finished comment. */
  const completedOn = (airflow: AirflowSim, issue: string): void => {
    const ids = runIdsOf(airflow.runs(), issue);
    expect(ids).toHaveLength(1);
    expect(view(world.jira, issue)).toMatchObject({ status: COMPLETED, runStatus: 'success', airflowRunId: ids[0] });
    expect(marked(world.jira, issue, `finished:${ids[0]}`)).toHaveLength(1);
    expect(duplicateMarkers(world.jira, issue)).toEqual([]);
  };

  it("each ticket's run is triggered, followed and finished on its environment's Airflow only", async () => {
    const summary = await reconciler.pass();
    expect(summary.triggered).toBe(2);
    expect(runIdsOf(world.airflow.runs(), key.dev)).toHaveLength(1);
    expect(runIdsOf(world.airflow.runs(), key.prod)).toEqual([]);
    expect(runIdsOf(prod.runs(), key.prod)).toHaveLength(1);
    expect(prod.runs().map((run) => run.conf.environment)).toEqual(['prod']);

    world.advance(RUN_MS);
    await reconciler.pass();
    completedOn(world.airflow, key.dev);
    completedOn(prod, key.prod);
    // The default credentials never reached the prod Airflow: it would have refused them.
    expect(prod.log.entries.filter((entry) => entry.status === 401)).toEqual([]);
  }, SLOW_TEST_MS);

  it("prod's Airflow down: only prod's tickets wait, the pass exits 1 naming it, and they go on once it is back", async () => {
    key.devWhileDown = readyTicket(world.jira, { source: 'lafa', environment: 'dev' });
    key.prodWhileDown = readyTicket(world.jira, { source: 'lafa', environment: 'prod' });
    prod.faults.outage(3_600_000);

    const down = await reconciler.cli(['reconcile', '--json']);
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/environment's Airflow was unreachable, its tickets wait: prod \(/);
    expect(down.stderr).toContain('AIRFLOW_<ENV>_*');
    const summary = down.json<PassSummary>();
    expect(summary.airflowDown.map((d) => d.instance)).toEqual(['prod']);
    expect(summary.triggered).toBe(1);
    expect(runIdsOf(world.airflow.runs(), key.devWhileDown)).toHaveLength(1);
    // The prod ticket is untouched: no run, no comment, still a request in Ready to Run.
    expect(runIdsOf(prod.runs(), key.prodWhileDown)).toEqual([]);
    expect(view(world.jira, key.prodWhileDown)).toMatchObject({ status: 'Ready to Run', runStatus: null, comments: [] });

    // The daemon stays ready (the other environments are worked) and names the instance that is down.
    const daemon = await reconciler.daemon();
    try {
      await daemon.passes(1);
      const readyz = await fetch(new URL('/readyz', daemon.metricsUrl));
      expect(readyz.status).toBe(200);
      const detail = (await readyz.json()) as { ready: boolean; airflowDown: Array<{ instance: string; baseUrl: string; error: string }> };
      expect(detail.ready).toBe(true);
      expect(detail.airflowDown.map((d) => [d.instance, d.baseUrl])).toEqual([['prod', prod.url]]);
      expect(detail.airflowDown[0]?.error).not.toBe('');

      // Back up: the next passes trigger the prod ticket on its own Airflow and clear the detail.
      prod.faults.clear();
      await waitFor('the prod run', () => runIdsOf(prod.runs(), key.prodWhileDown).length === 1, 30_000);
      // The pass that finds it answering again clears the detail (within a pass or two).
      const cleared = async (): Promise<boolean> => {
        const after = (await (await fetch(new URL('/readyz', daemon.metricsUrl))).json()) as { airflowDown: unknown[] };
        return after.airflowDown.length === 0;
      };
      await waitFor('/readyz to clear airflowDown', cleared, 30_000);
      expect(await cleared()).toBe(true);
    } finally {
      expect(await daemon.stop()).toBe(0);
    }

    world.advance(RUN_MS);
    await reconciler.pass();
    completedOn(world.airflow, key.devWhileDown);
    completedOn(prod, key.prodWhileDown);
    expect(runIdsOf(world.airflow.runs(), key.prodWhileDown)).toEqual([]);
  }, 120_000);
});
