import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Cluster from '../../src/bench/pg-cluster.js';
import type { BenchCluster } from '../../src/bench/pg-cluster.js';
import type * as Steady from '../../src/bench/scenarios/steady.js';
import type * as Strategies from '../../src/bench/strategies.js';
import { ensureBuilt } from '../support/built-cli.js';
import { ROOT } from '../integration/cli.js';

/** The bench as built: it runs the CLI beside its own build (dist/cli.js), as `npm run bench` does. */
async function built<T>(module: string): Promise<T> {
  return (await import(pathToFileURL(join(ROOT, 'dist', 'bench', module)).href)) as T;
}

/**
 * The bench's own PostgreSQL run, small: the built CLI's steady pass on a database seeded with runs in
 * flight, its statements counted in the server's log. Where no cluster can be started it fails, saying how.
 */
describe('a steady pass on PostgreSQL', () => {
  let cluster: BenchCluster;
  let steadyPass: typeof Steady.steadyPass;
  let postgresProductStrategy: typeof Strategies.postgresProductStrategy;
  beforeAll(async () => {
    await ensureBuilt();
    ({ steadyPass } = await built<typeof Steady>('scenarios/steady.js'));
    ({ postgresProductStrategy } = await built<typeof Strategies>('strategies.js'));
    cluster = await (await built<typeof Cluster>('pg-cluster.js')).startBenchCluster();
  }, 180_000);
  afterAll(() => cluster?.stop());

  it('sends the same statements whatever is in flight: none per ticket with nothing to do', async () => {
    const few = await steadyPass(5, postgresProductStrategy(cluster), 0);
    const many = await steadyPass(60, postgresProductStrategy(cluster), 0);
    for (const figures of [few, many]) {
      expect(figures.state).toBe('postgres');
      expect(figures.steady.requests.total).toBe(3);
      expect(figures.steady.jiraWrites).toBe(0);
    }
    const fewTrips = few.steady.roundTrips;
    const manyTrips = many.steady.roundTrips;
    expect(fewTrips?.total).toBeGreaterThan(0);
    // Twelve times the tickets, not one statement more: nothing is read or written per ticket.
    expect(manyTrips).toEqual(fewTrips);
    expect(manyTrips?.total).toBeLessThan(60);
    // The full resync reads the same records in one query too.
    expect(many.resync?.roundTrips?.total).toBe(few.resync?.roundTrips?.total);
  }, 180_000);
});
