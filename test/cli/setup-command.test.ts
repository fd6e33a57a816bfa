import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { testRuntime } from './runtime.js';

describe('setup on the command line', () => {
  it('prints help naming setup jira and setup airflow and their options', async () => {
    const runtime = testRuntime({});
    expect(await main(['setup', '--help'], runtime)).toBe(0);
    expect(runtime.out()).toContain('Usage: jira-airflow-reconciler setup jira [--apply] [--write-config FILE]');
    expect(runtime.out()).toContain('--write-config FILE');
    expect(runtime.out()).toContain('Usage: jira-airflow-reconciler setup airflow [--print-dag | --write-dag FILE]');
  });

  it.each([
    [['setup'], 'say what to set up: use one of setup jira, setup airflow'],
    [['setup', 'confluence'], 'unknown target "confluence"'],
    [['setup', 'jira', '--bogus'], "Unknown option '--bogus'"],
  ])('exits 2 for the usage error %j', async (argv, message) => {
    const runtime = testRuntime({});
    expect(await main(argv, runtime)).toBe(2);
    expect(runtime.err()).toContain(message);
  });
});
