import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnCli } from './cli.js';
import { SLOW_TEST_MS, useWorld } from './world.js';

const WAIT_MS = 20_000;

/** Everything the child writes to stdout, and a bounded wait for lines to appear in it. */
function watchStdout(child: ChildProcess): { text(): string; waitFor(pattern: RegExp, count: number): Promise<void> } {
  let text = '';
  const waiters = new Set<() => void>();
  child.stdout?.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
    for (const check of waiters) check();
  });
  return {
    text: () => text,
    waitFor: (pattern, count) =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          if (text.split('\n').filter((line) => pattern.test(line)).length < count) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no ${count}x ${String(pattern)} on the daemon's stdout within ${WAIT_MS} ms:\n${text}`));
        }, WAIT_MS);
        waiters.add(check);
        check();
      }),
  };
}

describe('the state-store lock', () => {
  const world = useWorld();
  let daemon: ChildProcess | undefined;

  // Registered after useWorld's, so it runs before the world closes.
  afterAll(() => {
    if (daemon && daemon.exitCode === null) daemon.kill('SIGKILL');
  });

  it('makes reconcile exit 1 while the daemon runs, naming its pid and how to ask it for a pass', async () => {
    const env = world.env({ METRICS_PORT: '0', RECONCILE_INTERVAL_SECONDS: '3600', LOG_LEVEL: 'info' });
    daemon = spawnCli(['daemon'], env);
    const output = watchStdout(daemon);
    await output.waitFor(/Pass completed/, 1);

    const config = world.configFile('short-wait.yaml', 'lockWaitMs: 200\n');
    const result = await world.cli(['reconcile'], { RECONCILER_CONFIG: config });

    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`pid ${daemon.pid}`);
    expect(result.stderr).toContain('SIGUSR1');
    expect(result.stderr).toContain(`kill -USR1 ${daemon.pid}`);

    // What the message advises works: SIGUSR1 gets a pass at once, SIGTERM a graceful stop.
    daemon.kill('SIGUSR1');
    await output.waitFor(/Pass completed/, 2);
    const exited = once(daemon, 'exit');
    daemon.kill('SIGTERM');
    const [code] = (await exited) as [number | null];
    expect(code).toBe(0);
  }, SLOW_TEST_MS);
});
