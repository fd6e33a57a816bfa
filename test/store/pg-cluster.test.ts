import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase, terminateSessions, type TestDatabase } from '../support/pg.js';

describe('the test PostgreSQL cluster', () => {
  const made: TestDatabase[] = [];
  afterEach(async () => {
    for (const db of made.splice(0)) await db.drop();
  });

  it('gives each test a database of its own, and cuts its sessions on demand', async () => {
    const one = await createTestDatabase();
    const two = await createTestDatabase();
    made.push(one, two);
    expect(one.url).not.toBe(two.url);
    const client = new pg.Client({ connectionString: one.url });
    client.on('error', () => undefined);
    await client.connect();
    const { rows } = await client.query<{ db: string }>('SELECT current_database() AS db');
    expect(one.url.endsWith(`/${rows[0]?.db}`)).toBe(true);
    expect(await terminateSessions(one.url)).toBe(1);
    await expect(client.query('SELECT 1')).rejects.toThrow();
    await client.end().catch(() => undefined);
  });
});
