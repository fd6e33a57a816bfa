import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { testRuntime } from './runtime.js';

describe('command line', () => {
  it('lists the commands with --help and exits 0', async () => {
    const runtime = testRuntime({});
    expect(await main(['--help'], runtime)).toBe(0);
    for (const command of ['reconcile', 'daemon', 'runs', 'doctor', 'demo']) expect(runtime.out()).toContain(`  ${command}`);
  });

  it.each(['reconcile', 'daemon', 'runs', 'doctor', 'demo'])('prints help for %s', async (command) => {
    const runtime = testRuntime({});
    expect(await main([command, '--help'], runtime)).toBe(0);
    expect(runtime.out()).toContain(`Usage: jira-airflow-reconciler ${command}`);
  });

  it.each([
    [['bogus'], 'unknown command "bogus"'],
    [['reconcile', '--bogus'], "Unknown option '--bogus'"],
    [['reconcile', '--issue', 'not a key'], '--issue NOT A KEY is not a Jira issue key'],
    [['runs', '--state', 'done'], '--state done is not a state'],
    [['runs', '--limit', '0'], '--limit 0 is not a positive whole number'],
    [['runs', 'extra'], 'Unexpected argument'],
  ])('exits 2 for the usage error %j', async (argv, message) => {
    const runtime = testRuntime({});
    expect(await main(argv, runtime)).toBe(2);
    expect(runtime.err()).toContain(message);
  });

  it('exits 2 with the command list when no command is given', async () => {
    const runtime = testRuntime({});
    expect(await main([], runtime)).toBe(2);
    expect(runtime.out()).toContain('Commands:');
  });

  it('exits 1 with the problems when the configuration is bad, printing no secret', async () => {
    const runtime = testRuntime({ JIRA_API_TOKEN: 'tok-very-secret', JIRA_USERNAME: 'bot@example.com', AIRFLOW_API_VERSION: 'v9' });
    expect(await main(['reconcile'], runtime)).toBe(1);
    expect(runtime.err()).toContain('JIRA_BASE_URL');
    expect(runtime.err()).toContain('AIRFLOW_API_VERSION');
    expect(runtime.err() + runtime.out()).not.toContain('tok-very-secret');
  });
});
