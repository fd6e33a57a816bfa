import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type SqliteStore } from '../../src/store/sqlite-store.js';
import { fakeClock, newRun, raw, tempDb } from './helpers.js';

const T0 = new Date('2025-01-05T10:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const row = (eventKey: string, channel = 'slack') => ({ eventKey, channel, payload: { event: 'failed', issueKey: 'SCR-1' } });

describe('the outbox', () => {
  let db: ReturnType<typeof tempDb>;
  let store: SqliteStore;
  beforeEach(async () => {
    db = tempDb();
    store = await openStore(db.path, { clock: fakeClock(T0), command: 'daemon', lockWaitMs: 0 });
  });
  afterEach(() => {
    store.close();
    db.cleanup();
  });

  it('keeps one row per event key, however often it is enqueued', () => {
    expect(store.outbox.enqueue([row('slack:SCR-1:1:failed'), row('email:SCR-1:1:failed', 'email')], T0)).toBe(2);
    expect(store.outbox.enqueue([row('slack:SCR-1:1:failed')], at(1_000))).toBe(0);
    const rows = store.outbox.list();
    expect(rows.map((r) => [r.eventKey, r.channel, r.attempts, r.createdAt])).toEqual([
      ['slack:SCR-1:1:failed', 'slack', 0, T0.toISOString()],
      ['email:SCR-1:1:failed', 'email', 0, T0.toISOString()],
    ]);
    expect(rows[0]!.payload).toEqual({ event: 'failed', issueKey: 'SCR-1' });
  });

  it('lists due rows oldest first and none that are sent, given up or not yet due', () => {
    store.outbox.enqueue([row('a'), row('b'), row('c'), row('d')], T0);
    const [a, b, c, d] = store.outbox.list();
    store.outbox.claim(a!.id, T0, 60_000);
    store.outbox.markSent(a!.id, T0);
    store.outbox.claim(b!.id, T0, 60_000);
    store.outbox.giveUp(b!.id, 'no', T0);
    store.outbox.claim(c!.id, T0, 60_000);
    store.outbox.markFailed(c!.id, 'down', at(30_000));
    expect(store.outbox.due(at(29_999), 10).map((r) => r.eventKey)).toEqual(['d']);
    expect(store.outbox.due(at(30_000), 10).map((r) => r.eventKey)).toEqual(['d', 'c']);
    expect(store.outbox.due(at(30_000), 1).map((r) => r.eventKey)).toEqual(['d']);
    expect(store.outbox.list().find((r) => r.id === d!.id)?.attempts).toBe(0);
  });

  it('claims a row once: attempts + 1, and due again only when the lease ends', () => {
    store.outbox.enqueue([row('a')], T0);
    const [a] = store.outbox.list();
    const claimed = store.outbox.claim(a!.id, T0, 60_000);
    expect(claimed).toMatchObject({ attempts: 1, claimedAt: T0.toISOString(), nextAttemptAt: at(60_000).toISOString() });
    expect(store.outbox.claim(a!.id, at(59_999), 60_000)).toBeNull();
    expect(store.outbox.due(at(59_999), 10)).toEqual([]);
    expect(store.outbox.claim(a!.id, at(60_000), 60_000)).toMatchObject({ attempts: 2 });
  });

  it('makes claimed rows due now on release, keeping the claim as the mark of a send cut short', () => {
    store.outbox.enqueue([row('a'), row('b'), row('c')], T0);
    const [a, b, c] = store.outbox.list();
    store.outbox.claim(a!.id, T0, 600_000);
    store.outbox.claim(b!.id, T0, 600_000);
    store.outbox.markSent(b!.id, T0);
    store.outbox.markFailed(c!.id, 'refused', at(60_000));

    expect(store.outbox.releaseClaims(at(1_000))).toBe(1);
    expect(store.outbox.due(at(1_000), 10).map((r) => [r.eventKey, r.claimedAt, r.attempts])).toEqual([['a', T0.toISOString(), 1]]);
    expect(store.outbox.releaseClaims(at(2_000))).toBe(0);
  });

  it('tells its listeners when rows were added, and only then', () => {
    let calls = 0;
    const stop = store.outbox.onEnqueue(() => (calls += 1));
    store.outbox.enqueue([row('a'), row('b')], T0);
    store.outbox.enqueue([row('a')], T0);
    expect(calls).toBe(1);
    stop();
    store.outbox.enqueue([row('c')], T0);
    expect(calls).toBe(1);
  });

  it('never claims a sent or given-up row again', () => {
    store.outbox.enqueue([row('a'), row('b')], T0);
    const [a, b] = store.outbox.list();
    store.outbox.claim(a!.id, T0, 1);
    store.outbox.markSent(a!.id, T0);
    store.outbox.giveUp(b!.id, 'no', T0);
    expect(store.outbox.claim(a!.id, at(10_000), 1)).toBeNull();
    expect(store.outbox.claim(b!.id, at(10_000), 1)).toBeNull();
  });

  it('commits a record update and its notifications together, or neither', () => {
    const record = store.insert(newRun(), T0);
    expect(() =>
      store.transaction(() => {
        store.update(record.id, { jiraPhase: 'finished', state: 'failed' }, T0);
        store.outbox.enqueue([row('slack:SCR-12:10001:failed')], T0);
        throw new Error('crash before commit');
      }),
    ).toThrow('crash before commit');
    expect(store.findRequest('SCR-12', '10001')?.jiraPhase).toBe('none');
    expect(store.outbox.list()).toEqual([]);

    store.transaction(() => {
      store.update(record.id, { jiraPhase: 'finished', state: 'failed' }, T0);
      store.outbox.enqueue([row('slack:SCR-12:10001:failed')], T0);
    });
    expect(store.findRequest('SCR-12', '10001')?.jiraPhase).toBe('finished');
    expect(store.outbox.list()).toHaveLength(1);
  });

  it('is created by migration 3, with the payload checked to be JSON', () => {
    expect(raw(db.path, (conn) => conn.pragma('user_version', { simple: true }))).toBeGreaterThanOrEqual(3);
    expect(() =>
      raw(db.path, (conn) =>
        conn.prepare("INSERT INTO outbox (event_key, channel, payload, next_attempt_at, created_at) VALUES ('x', 'slack', 'not json', '', '')").run(),
      ),
    ).toThrow(/CHECK constraint failed/);
  });

  it('refuses writes from a reader, which can still list', async () => {
    store.outbox.enqueue([row('a')], T0);
    const reader = await openStore(db.path, { clock: fakeClock(T0), command: 'runs', lockWaitMs: 0, readOnly: true });
    try {
      expect(reader.outbox.list()).toHaveLength(1);
      expect(() => reader.outbox.enqueue([row('b')], T0)).toThrow(/read-only/);
      expect(() => reader.outbox.claim(1, T0, 1)).toThrow(/read-only/);
      expect(() => reader.transaction(() => 1)).toThrow(/read-only/);
    } finally {
      reader.close();
    }
  });
});
