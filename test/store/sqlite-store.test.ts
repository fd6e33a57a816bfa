import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BUSY_TIMEOUT_MS, openWritable } from '../../src/store/connection.js';
import { openStore, type SqliteStore } from '../../src/store/sqlite-store.js';
import { fakeClock, newRun, raw, tempDb } from './helpers.js';

const T0 = new Date('2025-01-05T10:00:00.000Z');

describe('openStore', () => {
  let db: ReturnType<typeof tempDb>;
  const opened: SqliteStore[] = [];
  beforeEach(() => {
    db = tempDb();
  });
  afterEach(() => {
    for (const store of opened.splice(0)) store.close();
    db.cleanup();
  });

  async function open(readOnly = false): Promise<SqliteStore> {
    const store = await openStore(db.path, { clock: fakeClock(), command: readOnly ? 'runs' : 'daemon', lockWaitMs: 0, readOnly });
    opened.push(store);
    return store;
  }

  it('creates the parent directory and leaves the file in WAL mode', async () => {
    expect(existsSync(dirname(db.path))).toBe(false);
    await open();
    expect(existsSync(db.path)).toBe(true);
    expect(raw(db.path, (conn) => conn.pragma('journal_mode', { simple: true }))).toBe('wal');
  });

  it('sets synchronous=FULL, the busy timeout and foreign keys on its connection', () => {
    mkdirSync(dirname(db.path), { recursive: true });
    const conn = openWritable(db.path);
    try {
      expect(conn.pragma('synchronous', { simple: true })).toBe(2);
      expect(conn.pragma('busy_timeout', { simple: true })).toBe(BUSY_TIMEOUT_MS);
      expect(conn.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(conn.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      conn.close();
    }
  });

  it('reads without the lock while a writer holds it, seeing committed records', async () => {
    const writer = await open();
    writer.insert(newRun({ jiraIssueKey: 'SCR-7' }), T0);
    writer.setCursor({ updatedSince: T0, passCount: 2 });

    const reader = await open(true);
    expect(reader.readOnly).toBe(true);
    expect(reader.list().map((r) => r.jiraIssueKey)).toEqual(['SCR-7']);
    expect(reader.getCursor()).toEqual({ updatedSince: T0, passCount: 2 });

    writer.insert(newRun({ jiraIssueKey: 'SCR-8' }), T0);
    expect(reader.list({ issueKeys: ['SCR-8'] })).toHaveLength(1);
    reader.close();
    expect(raw(db.path, (conn) => conn.prepare('SELECT command FROM lock').get())).toEqual({ command: 'daemon' });
  });

  it('refuses writes on a read-only store, saying how to write', async () => {
    const writer = await open();
    const record = writer.insert(newRun(), T0);
    const reader = await open(true);

    expect(() => reader.insert(newRun({ requestId: '2' }), T0)).toThrow(/opened read-only; open it without readOnly/);
    expect(() => reader.update(record.id, { state: 'failed' }, T0)).toThrow(/read-only/);
    expect(() => reader.setCursor({ updatedSince: null, passCount: 1 })).toThrow(/read-only/);
    expect(() => reader.heartbeat()).toThrow(/read-only/);
    expect(writer.list()).toEqual([record]);
  });

  it('reads a missing file as no records, without creating it', async () => {
    const reader = await open(true);
    expect(reader.list()).toEqual([]);
    expect(reader.unfinished()).toEqual([]);
    expect(reader.getCursor()).toEqual({ updatedSince: null, passCount: 0 });
    expect(existsSync(db.path)).toBe(false);
    expect(existsSync(dirname(db.path))).toBe(false);
  });

  it('says which file it could not open and what to check', async () => {
    mkdirSync(dirname(db.path), { recursive: true });
    writeFileSync(db.path, 'this is not a database, just some text that is long enough to have a header');
    // A writer moves such a file aside (test/store/damaged.test.ts); a reader says what will happen.
    await expect(open(true)).rejects.toThrow(/is damaged: .*the next `reconcile` or `daemon` moves it aside/);
  });
});
