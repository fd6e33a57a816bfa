import { defineConfig } from 'vitest/config';

/**
 * The fault suite: the daemon as a child process under injected faults and SIGKILLs. `npm test` and
 * `.ci/run` run it after the other tests, on its own: it measures the daemon's politeness from the
 * simulators' clocks, so it is not run beside other test files that load the machine. Alone:
 * `npm run test:faults`. See the README's Development section.
 */
export default defineConfig({
  test: {
    include: ['test/fault/**/*.faults.ts'],
    environment: 'node',
    testTimeout: 900_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
