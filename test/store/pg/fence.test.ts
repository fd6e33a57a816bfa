import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Fence } from '../../../src/lease/lease-table.js';
import { FencedWriteError } from '../../../src/store/pg/fenced-write-error.js';
import { openPgStore, type PgStore } from '../../../src/store/pg/pg-store.js';
import { createTestDatabase, type TestDatabase } from '../../support/pg.js';
import { newRun } from '../helpers.js';
import { setLease } from './pg-helpers.js';

const T0 = new Date('2025-01-05T10:00:00.000Z');
const T1 = new Date('2025-01-05T10:00:30.000Z');
const row = (eventKey: string) => ({ eventKey, channel: 'slack', payload: { event: 'failed' } });

describe('fenced writes on PostgreSQL', () => {
  let db: TestDatabase;
  let fence: Fence | null;
  let store: PgStore;
  const others: PgStore[] = [];
  beforeEach(async () => {
    db = await createTestDatabase();
    fence = { holder: 'host-a:4242:aaaa', epoch: 5 };
    store = await openPgStore(db.url, { command: 'daemon', fence: () => fence });
  });
  afterEach(async () => {
    for (const other of others.splice(0)) await other.close();
    await store.close();
    await db.drop();
  });

  it('writes while the lease names this holder and epoch and has not expired', async () => {
    await setLease(db.url, 'host-a:4242:aaaa', 5, 30);
    const record = await store.insert(newRun(), T0);
    await store.update(record.id, { state: 'queued' }, T0);
    await store.setCursor({ updatedSince: T0, passCount: 1 });
    expect(await store.outbox.enqueue([row('a')], T0)).toBe(1);
    expect((await store.findRequest('SCR-12', '10001'))?.state).toBe('queued');
  });

  it('refuses every write of a stale epoch, naming it, and writes nothing', async () => {
    await setLease(db.url, 'host-a:4242:aaaa', 5, 30);
    const record = await store.insert(newRun(), T0);
    await store.outbox.enqueue([row('a')], T0);
    // Another replica took over: epoch 6.
    await setLease(db.url, 'host-b:77:bbbb', 6, 30);

    const refused = [
      () => store.insert(newRun({ jiraIssueKey: 'SCR-13' }), T0),
      () => store.update(record.id, { state: 'failed' }, T0),
      () => store.updateAndNotify(record.id, { state: 'failed' }, [row('b')], T0),
      () => store.setCursor({ updatedSince: T0, passCount: 9 }),
      () => store.outbox.enqueue([row('c')], T0),
      () => store.outbox.claim(1, T0, 1_000),
      () => store.outbox.markFailed(1, 'x', T0),
      () => store.outbox.giveUp(1, 'x', T0),
      () => store.outbox.releaseClaims(T0),
    ];
    for (const write of refused) {
      const error = await write().then(() => null, (e: unknown) => e);
      expect(error).toBeInstanceOf(FencedWriteError);
      expect((error as Error).message).toMatch(/lease of epoch 5 was lost: this process no longer leads/);
    }
    expect((await store.list()).map((r) => [r.jiraIssueKey, r.state])).toEqual([['SCR-12', 'pending']]);
    expect((await store.outbox.list()).map((r) => [r.eventKey, r.attempts])).toEqual([['a', 0]]);
    expect(await store.getCursor()).toEqual({ updatedSince: null, passCount: 0 });
  });

  it('records a delivery made before the lease was lost, so the next leader does not send it again; the first record stands', async () => {
    await setLease(db.url, 'host-a:4242:aaaa', 5, 30);
    await store.outbox.enqueue([row('a')], T0);
    const claimed = await store.outbox.claim(1, T0, 60_000);
    expect(claimed?.attempts).toBe(1);
    // The message went out; then another replica took over before the send was recorded.
    await setLease(db.url, 'host-b:77:bbbb', 6, 30);
    await store.outbox.markSent(1, T1);
    await store.outbox.markSent(1, new Date(T1.getTime() + 5_000));
    const [sent] = await store.outbox.list();
    expect([sent?.sentAt, sent?.claimedAt]).toEqual([T1.toISOString(), null]);
    // Nothing else of the old epoch gets through.
    await expect(store.outbox.markFailed(1, 'x', T1)).rejects.toThrow(FencedWriteError);
  });

  it('refuses writes once its own lease has expired, even when no one took over', async () => {
    await setLease(db.url, 'host-a:4242:aaaa', 5, -1);
    await expect(store.insert(newRun(), T0)).rejects.toThrow(FencedWriteError);
    expect(await store.list()).toEqual([]);
  });

  it('refuses writes while the process holds no lease at all', async () => {
    fence = null;
    await expect(store.insert(newRun(), T0)).rejects.toThrow(/holds no leader lease/);
  });

  it('still reads whoever leads', async () => {
    await setLease(db.url, 'host-a:4242:aaaa', 5, 30);
    await store.insert(newRun(), T0);
    await setLease(db.url, 'host-b:77:bbbb', 6, 30);
    expect(await store.list()).toHaveLength(1);
  });

  it('releases only the claims of older epochs: the current leader\'s own sends stay claimed', async () => {
    await setLease(db.url, 'host-a:4242:aaaa', 5, 30);
    await store.outbox.enqueue([row('old'), row('mine')], T0);
    const [old, mine] = (await store.outbox.list()).map((r) => r.id);
    await store.outbox.claim(old!, T0, 600_000);

    // The leader of epoch 5 dies mid-send; epoch 6 takes over and claims a row of its own.
    await setLease(db.url, 'host-b:77:bbbb', 6, 30);
    fence = { holder: 'host-b:77:bbbb', epoch: 6 };
    await store.outbox.claim(mine!, T0, 600_000);

    const later = new Date(T0.getTime() + 1_000);
    expect(await store.outbox.releaseClaims(later)).toBe(1);
    expect((await store.outbox.due(later, 10)).map((r) => [r.eventKey, r.attempts])).toEqual([['old', 1]]);
  });
});
