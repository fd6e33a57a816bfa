import type { Runtime } from '../../src/app.js';
import type { Clock } from '../../src/clock.js';
import { textSink } from '../support/log-capture.js';

export interface TestRuntime extends Runtime {
  out: () => string;
  err: () => string;
}

export const fixedClock: Clock = {
  now: () => new Date('2026-11-28T10:00:00Z'),
  sleep: () => Promise.resolve(),
};

/** A runtime whose output the test reads; env is exactly what is given. */
export function testRuntime(env: Record<string, string>, overrides: Partial<Runtime> = {}): TestRuntime {
  const stdout = textSink();
  const stderr = textSink();
  return {
    env,
    stdout: stdout.stream,
    stderr: stderr.stream,
    clock: fixedClock,
    ...overrides,
    out: stdout.text,
    err: stderr.text,
  };
}
