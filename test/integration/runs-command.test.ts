import { describe, expect, it } from 'vitest';
import { readyMoveId, readyTicket } from './tickets.js';
import { SLOW_TEST_MS, useWorld } from './world.js';

interface RunsRow {
  jira_issue_key: string;
  attempt: number;
  source: string | null;
  run_type: string | null;
  environment: string | null;
  params: unknown;
  airflow_dag_id: string | null;
  airflow_dag_run_id: string | null;
  state: string;
}

describe('runs', () => {
  const world = useWorld();

  it('says there are no records yet on an empty store, and prints [] with --json', async () => {
    const human = await world.cli(['runs']);
    const json = await world.cli(['runs', '--json']);

    expect(human.code).toBe(0);
    expect(human.stdout).toContain('No run records yet.');
    expect(json.code).toBe(0);
    expect(json.json()).toEqual([]);
  });

  it('lists the records of a filled store, filtered by --state and --issue', async () => {
    const valid = readyTicket(world.jira, { source: 'lafa', runType: 'FULL_REFRESH', environment: 'staging', params: { categories: ['dairy'] } });
    const invalid = readyTicket(world.jira, { environment: 'qa' });
    await world.pass();
    const dagRunId = `jira__${valid}__${readyMoveId(world.jira, valid)}`;

    const all = await world.cli(['runs', '--json']);
    expect(all.code).toBe(0);
    const rows = all.json<RunsRow[]>();
    expect(rows.map((row) => row.jira_issue_key).sort()).toEqual([valid, invalid].sort());
    expect(rows.find((row) => row.jira_issue_key === valid)).toMatchObject({
      attempt: 1,
      source: 'lafa',
      run_type: 'FULL_REFRESH',
      environment: 'staging',
      params: { categories: ['dairy'] },
      airflow_dag_id: 'scraper_lafa',
      airflow_dag_run_id: dagRunId,
      state: 'queued',
    });

    const invalidOnly = await world.cli(['runs', '--json', '--state', 'invalid']);
    expect(invalidOnly.json<RunsRow[]>().map((row) => [row.jira_issue_key, row.state])).toEqual([[invalid, 'invalid']]);

    const one = await world.cli(['runs', '--json', '--issue', valid]);
    expect(one.json<RunsRow[]>().map((row) => row.jira_issue_key)).toEqual([valid]);

    const table = await world.cli(['runs']);
    expect(table.code).toBe(0);
    const line = table.stdout.split('\n').find((l) => l.startsWith(valid));
    expect(line).toContain(dagRunId);
    expect(line).toContain('queued');
    expect(table.stdout.split('\n').find((l) => l.startsWith(invalid))).toContain('invalid');
  }, SLOW_TEST_MS);
});
