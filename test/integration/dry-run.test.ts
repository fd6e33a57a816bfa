import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { PassSummary, PlannedAction } from '../../src/reconcile/summary.js';
import { writes } from './requests.js';
import { COMPLETED, FAILED, readyMoveId, readyTicket, view } from './tickets.js';
import { TIMING, useWorld } from './world.js';

/**
 * The state file's content (main file and WAL), to prove a dry run left it alone. A reader of a WAL
 * database may leave an empty -wal file behind: no content, so it counts as none.
 */
function stateDigest(db: string): string {
  const hash = createHash('sha256');
  for (const suffix of ['', '-wal']) {
    hash.update(`${suffix}:`);
    if (existsSync(`${db}${suffix}`)) hash.update(readFileSync(`${db}${suffix}`));
  }
  return hash.digest('hex');
}

function plannedFor(summary: PassSummary, issue: string): PlannedAction[] {
  return summary.planned.filter((action) => action.issue === issue);
}

describe('reconcile --dry-run', () => {
  let valid: string;
  let invalid: string;
  let dagRunId: string;

  const world = useWorld({}, (world) => {
    valid = readyTicket(world.jira, { source: 'quebec', runType: 'FULL_REFRESH', environment: 'prod', params: { limit: 5 } });
    invalid = readyTicket(world.jira, { source: 'atlantis' });
    dagRunId = `jira__${valid}__${readyMoveId(world.jira, valid)}`;
  });

  function expectOnlyReads(): void {
    expect(writes(world.jira.log.entries), 'Jira writes').toEqual([]);
    expect(writes(world.airflow.log.entries), 'Airflow writes').toEqual([]);
  }

  it('plans the trigger with its conf and the Jira writes, and writes nothing anywhere', async () => {
    const result = await world.cli(['reconcile', '--dry-run', '--json']);

    expect(result.code).toBe(0);
    const summary = result.json<PassSummary>();
    expect(summary.dryRun).toBe(true);
    expect(plannedFor(summary, valid)).toContainEqual({
      kind: 'trigger',
      issue: valid,
      dagId: 'scraper_quebec',
      dagRunId,
      conf: { jira_issue_key: valid, source: 'quebec', run_type: 'FULL_REFRESH', params: { limit: 5 }, environment: 'prod' },
    });
    const rejection = plannedFor(summary, invalid);
    expect(rejection.some((a) => a.kind === 'jira-transition' && a.to === FAILED)).toBe(true);
    expect(JSON.stringify(rejection)).toContain('atlantis');
    expect(JSON.stringify(rejection)).toContain('invalid');

    expectOnlyReads();
    expect(existsSync(world.db), 'the state file was not created').toBe(false);
    expect(world.airflow.runs()).toEqual([]);
    expect(view(world.jira, valid)).toMatchObject({ status: 'Ready to Run', runStatus: null, comments: [] });
    expect(view(world.jira, invalid)).toMatchObject({ status: 'Ready to Run', runStatus: null, comments: [] });
  });

  it('prints the planned writes for people without --json', async () => {
    const result = await world.cli(['reconcile', '--dry-run']);

    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Planned writes (none performed)');
    expect(result.stdout).toContain(`trigger scraper_quebec run ${dagRunId} with conf {"jira_issue_key":"${valid}"`);
    expect(result.stdout).toMatch(new RegExp(`${invalid}\\s+move to "${FAILED}"`));
    expectOnlyReads();
    expect(existsSync(world.db)).toBe(false);
  });

  it('leaves an existing state file and the tickets untouched while runs are in flight and finishing', async () => {
    await world.pass();
    world.advance(TIMING.queuedMs + TIMING.runningMs + 1_000);
    const before = stateDigest(world.db);
    const ticketBefore = view(world.jira, valid);
    world.jira.log.clear();
    world.airflow.log.clear();

    const summary = (await world.cli(['reconcile', '--dry-run', '--json'])).json<PassSummary>();

    expect(plannedFor(summary, valid)).toContainEqual(expect.objectContaining({ kind: 'jira-transition', to: COMPLETED }));
    expectOnlyReads();
    expect(stateDigest(world.db)).toBe(before);
    expect(view(world.jira, valid)).toEqual(ticketBefore);
  });
});
