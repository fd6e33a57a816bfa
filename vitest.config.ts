import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // One throwaway PostgreSQL cluster for the run's PostgreSQL tests; each makes its own database in it.
    globalSetup: ['test/support/pg-cluster.ts'],
  },
});
