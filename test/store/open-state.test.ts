import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeState, openState, type StateStore } from '../../src/store/open-state.js';
import { createTestDatabase, type TestDatabase } from '../support/pg.js';
import { fakeClock, newRun, tempDb } from './helpers.js';

const T0 = new Date('2025-01-05T10:00:00.000Z');

describe('openState', () => {
  let file: ReturnType<typeof tempDb>;
  let db: TestDatabase;
  const opened: StateStore[] = [];
  beforeEach(async () => {
    file = tempDb();
    db = await createTestDatabase();
  });
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
    file.cleanup();
    await db.drop();
  });

  const options = { clock: fakeClock(), command: 'reconcile', lockWaitMs: 0 };

  it('opens the SQLite file when no database URL is set', async () => {
    const store = await openState({ db: file.path, secrets: {} }, options);
    opened.push(store);
    expect('backend' in store).toBe(false);
    expect(describeState(store)).toBe(file.path);
  });

  it('opens PostgreSQL when RECONCILER_DATABASE_URL is set, leaving the SQLite file alone', async () => {
    const store = await openState({ db: file.path, secrets: { databaseUrl: db.url } }, options);
    opened.push(store);
    expect(describeState(store)).toBe(db.url);
    await store.insert(newRun(), T0);
    expect(await store.list()).toHaveLength(1);
    const sqlite = await openState({ db: file.path, secrets: {} }, { ...options, readOnly: true });
    opened.push(sqlite);
    expect(await sqlite.list()).toEqual([]);
  });
});
