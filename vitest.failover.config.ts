import { defineConfig } from 'vitest/config';

/**
 * The failover suite: three daemons on one throwaway PostgreSQL database, the leader killed, frozen and
 * cut off thirty times. `.ci/run` runs it on its own, after the fault suite (its failover times are
 * measured in real time). Alone: `npm run test:failover`. See the README's "Running on several hosts".
 */
export default defineConfig({
  test: {
    include: ['test/failover/**/*.failover.ts'],
    environment: 'node',
    testTimeout: 1_500_000,
    hookTimeout: 180_000,
    pool: 'forks',
    globalSetup: ['test/support/pg-cluster.ts'],
  },
});
