import { describe, expect, it } from 'vitest';
import type { ApiVersion } from '../../src/sandbox/airflow/index.js';
import { triggers, writes } from './requests.js';
import { COMPLETED, linksIn, readyMoveId, readyTicket, view } from './tickets.js';
import { TIMING, useWorld } from './world.js';

interface Case {
  key: string;
  source: string;
  params: Record<string, unknown>;
  runType: string;
  environment: string;
  dagRunId: string;
}

describe.each<ApiVersion>(['v1', 'v2'])('valid requests over the three sources, Airflow API %s', (apiVersion) => {
  let cases: Case[];
  const world = useWorld({ apiVersion }, (world) => {
    const requests = [
      { source: 'alfabeta', runType: 'FULL_REFRESH', environment: 'prod', params: {} },
      { source: 'quebec', runType: 'DELTA', environment: 'staging', params: { since: '2026-11-01', limit: 500 } },
      { source: 'lafa', runType: 'SINGLE_PRODUCT', environment: 'dev', params: { product_id: 'LF-77', categories: ['dairy'] } },
    ];
    cases = requests.map((request, index) => {
      // The last one is created directly in Ready to Run: no status change in its changelog.
      const direct = index === requests.length - 1;
      const key = readyTicket(world.jira, request, { direct });
      return { ...request, key, dagRunId: `jira__${key}__${direct ? 'created' : readyMoveId(world.jira, key)}` };
    });
  });

  it('pass 1 triggers one DAG run per ticket with the documented conf and tells the ticket once', async () => {
    const summary = await world.pass();

    expect(summary.triggered).toBe(3);
    expect(world.airflow.runs()).toHaveLength(3);
    for (const c of cases) {
      const run = world.airflow.run(`scraper_${c.source}`, c.dagRunId);
      expect(run, `${c.key} has a run ${c.dagRunId} of scraper_${c.source}`).toBeDefined();
      expect(run!.conf).toEqual({ jira_issue_key: c.key, source: c.source, run_type: c.runType, params: c.params, environment: c.environment });
      if (apiVersion === 'v2') expect(run!.logicalDate).toBeNull();

      const ticket = view(world.jira, c.key);
      expect(ticket).toMatchObject({ status: 'Ready to Run', runStatus: 'queued', airflowRunId: c.dagRunId, platformRunId: null });
      expect(ticket.comments).toHaveLength(1);
      expect(ticket.comments[0]).toContain(`scraper_${c.source}`);
      expect(ticket.comments[0]).toContain(c.dagRunId);
      const [link] = linksIn(world.jira.comments(c.key)[0]!.body);
      expect(link).toMatch(new RegExp(`^${world.airflow.url}/dags/scraper_${c.source}/.*${c.dagRunId}`));
    }
  });

  it('pass 2 sees the runs running and says so on the tickets', async () => {
    world.advance(TIMING.queuedMs + 1_000);
    const summary = await world.pass();

    expect(summary.inFlight).toBe(3);
    for (const c of cases) {
      expect(world.airflow.run(`scraper_${c.source}`, c.dagRunId)?.state).toBe('running');
      const ticket = view(world.jira, c.key);
      expect(ticket).toMatchObject({ status: 'Ready to Run', runStatus: 'running' });
      expect(ticket.comments).toHaveLength(1);
    }
  });

  it('pass 3 writes the outcome: Run Status success, the platform run id, one comment with items and duration, Completed', async () => {
    world.advance(TIMING.runningMs);
    const summary = await world.pass();

    expect(summary.finished).toBe(3);
    for (const c of cases) {
      const run = world.airflow.run(`scraper_${c.source}`, c.dagRunId)!;
      expect(run.state).toBe('success');
      const result = run.result as { run_id: string; item_count: number };
      const ticket = view(world.jira, c.key);
      expect(ticket).toMatchObject({ status: COMPLETED, runStatus: 'success', airflowRunId: c.dagRunId, platformRunId: result.run_id });
      expect(ticket.comments).toHaveLength(2);
      expect(ticket.comments[1]).toContain(`Items: ${result.item_count.toLocaleString('en-US')}.`);
      expect(ticket.comments[1]).toContain('Duration: 1m 0s');
    }
  });

  it('passes after that change nothing: no new run, no Jira write, no comment', async () => {
    world.jira.log.clear();
    world.airflow.log.clear();
    world.advance(60_000);
    const summary = await world.pass();

    expect(summary.triggered + summary.finished + summary.errors).toBe(0);
    expect(writes(world.jira.log.entries)).toEqual([]);
    expect(triggers(world.airflow.log.entries)).toEqual([]);
    expect(world.airflow.runs()).toHaveLength(3);
    for (const c of cases) expect(view(world.jira, c.key).comments).toHaveLength(2);
  });
});
