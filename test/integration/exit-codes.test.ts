import { describe, expect, it } from 'vitest';
import type { PassSummary } from '../../src/reconcile/summary.js';
import { readyTicket, view } from './tickets.js';
import { useWorld } from './world.js';

describe('exit codes and --issue', () => {
  const world = useWorld();

  it('exits 2 on an unknown option, saying how to get usage', async () => {
    const result = await world.cli(['reconcile', '--bogus']);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--bogus');
    expect(result.stderr).toContain('reconcile --help');
  });

  it('exits 2 on --issue with something that is not an issue key', async () => {
    const result = await world.cli(['reconcile', '--issue', 'not-a-key']);

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/NOT-A-KEY is not a Jira issue key/i);
  });

  it('exits 1 on an unknown key in the config file, naming the key', async () => {
    const config = world.configFile('bad.yaml', 'jira:\n  pageSize: 20\n  pageSise: 10\n');
    const result = await world.cli(['reconcile'], { RECONCILER_CONFIG: config });

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('jira.pageSise');
    expect(world.airflow.runs()).toEqual([]);
  });

  it('limits the pass to the tickets named by --issue', async () => {
    const named = readyTicket(world.jira, { source: 'alfabeta' });
    const other = readyTicket(world.jira, { source: 'quebec' });

    const result = await world.cli(['reconcile', '--json', '--issue', named.toLowerCase()]);

    expect(result.code).toBe(0);
    const summary = result.json<PassSummary>();
    expect(summary.search).toBe('issues');
    expect(summary.tickets.map((t) => t.issue)).toEqual([named]);
    expect(world.airflow.runs().map((run) => run.conf.jira_issue_key)).toEqual([named]);
    expect(view(world.jira, named).runStatus).toBe('queued');
    expect(view(world.jira, other)).toMatchObject({ status: 'Ready to Run', runStatus: null, comments: [] });
  });

  it('exits 1 with a clear message when Jira cannot be reached', async () => {
    // One retry instead of four keeps the test short; the retry policy has its own unit tests.
    const config = world.configFile('few-retries.yaml', 'http:\n  retries: 1\n');
    await world.jira.server.pause();
    try {
      const result = await world.cli(['reconcile'], { RECONCILER_CONFIG: config });

      expect(result.code).toBe(1);
      const message = result.stderr.split('\n').find((line) => line.startsWith('reconcile: '));
      expect(message, result.stderr).toMatch(/the pass did not complete/);
      expect(message).toMatch(/jira/i);
      expect(message, 'names where it tried').toContain(new URL(world.jira.url).host);
      expect(result.stderr, 'says what to do').toContain('fix: check that JIRA_BASE_URL is right and reachable');
    } finally {
      await world.jira.server.resume();
    }
  });
});
