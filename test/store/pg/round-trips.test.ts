import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openPgStore, type PgStore } from '../../../src/store/pg/pg-store.js';
import { createTestDatabase, type TestDatabase } from '../../support/pg.js';
import { newRun } from '../helpers.js';
import { setLease } from './pg-helpers.js';

const T0 = new Date('2025-01-05T10:00:00.000Z');

describe('round trips to PostgreSQL', () => {
  let db: TestDatabase;
  let store: PgStore;
  beforeEach(async () => {
    db = await createTestDatabase();
  });
  afterEach(async () => {
    await store.close();
    await db.drop();
  });

  async function cost(call: () => Promise<unknown>): Promise<number> {
    const before = store.roundTrips();
    await call();
    return store.roundTrips() - before;
  }

  it('costs one per read, and BEGIN, the statement and COMMIT per write', async () => {
    store = await openPgStore(db.url, { command: 'daemon' });
    const record = await store.insert(newRun(), T0);
    expect(await cost(() => store.unfinished())).toBe(1);
    expect(await cost(() => store.list())).toBe(1);
    expect(await cost(() => store.getCursor())).toBe(1);
    expect(await cost(() => store.update(record.id, { state: 'queued' }, T0))).toBe(3);
    expect(await cost(() => store.setCursor({ updatedSince: T0, passCount: 1 }))).toBe(3);
    expect(await cost(() => store.updateAndNotify(record.id, { state: 'failed' }, [{ eventKey: 'a', channel: 'slack', payload: {} }], T0))).toBe(4);
  });

  it('adds one for the lease check when writes are fenced', async () => {
    const fence = { holder: 'host-a:1:x', epoch: 1 };
    store = await openPgStore(db.url, { command: 'daemon', fence: () => fence });
    await setLease(db.url, fence.holder, fence.epoch, 30);
    const record = await store.insert(newRun(), T0);
    expect(await cost(() => store.update(record.id, { state: 'queued' }, T0))).toBe(4);
  });
});
