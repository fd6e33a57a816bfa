import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isBusyCode, isDamageCode, isPermissionCode } from '../../src/store/connection.js';
import { SCHEMA_VERSION } from '../../src/store/migrations.js';
import { runPass } from '../../src/reconcile/pass.js';
import { LockHeldError } from '../../src/store/run-store.js';
import { DamagedStoreError, openStore, SchemaVersionError, type SqliteStore } from '../../src/store/sqlite-store.js';
import { passDeps, ticket } from '../reconcile/fakes.js';
import { captureLog } from '../support/log-capture.js';
import { fakeClock, newRun, raw, tempDb } from './helpers.js';

const T0 = new Date('2025-01-05T10:00:00.000Z');
const MOVED = `.corrupt-20250105T100000000Z`;

describe('a damaged state file', () => {
  let db: ReturnType<typeof tempDb>;
  const opened: SqliteStore[] = [];
  beforeEach(() => {
    db = tempDb();
  });
  afterEach(() => {
    for (const store of opened.splice(0)) store.close();
    db.cleanup();
  });

  async function open(options: { readOnly?: boolean; busyTimeoutMs?: number } = {}) {
    const captured = captureLog();
    const store = await openStore(db.path, { clock: fakeClock(T0), command: 'daemon', lockWaitMs: 0, log: captured.log, ...options });
    opened.push(store);
    return { store, logText: captured.text };
  }

  /** A real store with `runs` records, closed, so everything is checkpointed into the main file. */
  async function storeWithRecords(runs: number): Promise<void> {
    const { store } = await open();
    for (let i = 1; i <= runs; i += 1) store.insert(newRun({ jiraIssueKey: `SCR-${i}`, params: JSON.stringify({ pad: 'x'.repeat(200) }) }), T0);
    opened.splice(opened.indexOf(store), 1);
    store.close();
  }

  function writeDbFile(text: string): void {
    mkdirSync(dirname(db.path), { recursive: true });
    writeFileSync(db.path, text);
  }

  /** Overwrites one page (4096 bytes, SQLite's default) of the closed file with junk. */
  function damagePage(page: number): void {
    const bytes = readFileSync(db.path);
    bytes.fill(0x41, (page - 1) * 4096, page * 4096);
    writeFileSync(db.path, bytes);
  }

  function siblings(): string[] {
    return readdirSync(dirname(db.path)).filter((name) => name.startsWith(basename(db.path)));
  }

  it('moves a truncated file aside, logs the new path at error level, and starts a fresh store', async () => {
    await storeWithRecords(300);
    const size = statSync(db.path).size;
    truncateSync(db.path, Math.floor(size / 2));

    const { store, logText } = await open();

    const movedTo = `${db.path}${MOVED}`;
    expect(store.movedAside).toMatchObject({ from: db.path, to: movedTo });
    expect(store.movedAside?.reason).toMatch(/malformed|quick_check/);
    expect(statSync(movedTo).size).toBe(Math.floor(size / 2));
    expect(store.list()).toEqual([]);
    expect(store.insert(newRun(), T0).attempt).toBe(1);
    const line = logText()
      .trim()
      .split('\n')
      .map((text) => JSON.parse(text) as { level: number; movedTo?: string; msg: string })
      .find((entry) => entry.movedTo !== undefined);
    expect(line).toMatchObject({ level: 50, movedTo });
    expect(line?.msg).toMatch(/moved aside/);
  });

  it('moves a file that is not SQLite aside together with its -wal (kept byte for byte) and -shm', async () => {
    writeDbFile('this is not a database, just some text that is long enough to have a header '.repeat(4));
    writeFileSync(`${db.path}-wal`, 'old wal');
    writeFileSync(`${db.path}-shm`, 'old shm');

    const { store } = await open();

    const movedTo = `${db.path}${MOVED}`;
    expect(store.movedAside?.reason).toMatch(/not a database/);
    expect(readFileSync(movedTo, 'utf8')).toMatch(/^this is not a database/);
    expect(readFileSync(`${movedTo}-wal`, 'utf8')).toBe('old wal');
    // The -shm is only an index SQLite rebuilds from the -wal; it moves along but need not be kept as it was.
    expect(existsSync(`${movedTo}-shm`)).toBe(true);
    expect(siblings().filter((name) => !name.includes('corrupt')).sort()).toEqual(['reconciler.db', 'reconciler.db-shm', 'reconciler.db-wal']);
    store.insert(newRun(), T0);
    expect(store.list()).toHaveLength(1);
  });

  it('moves aside a file whose header and tables are sound but whose index is damaged (quick_check)', async () => {
    await storeWithRecords(300);
    const { rootpage } = raw(db.path, (conn) =>
      conn.prepare<[], { rootpage: number }>("SELECT rootpage FROM sqlite_master WHERE name = 'runs_by_key_attempt'").get(),
    )!;
    damagePage(rootpage);

    const { store } = await open();

    expect(store.movedAside?.reason).toMatch(/quick_check found damage/);
    expect(store.list()).toEqual([]);
  });

  it('names a second file when a moved-aside file of the same instant exists', async () => {
    writeDbFile('garbage '.repeat(50));
    writeFileSync(`${db.path}${MOVED}`, 'an earlier one');

    const { store } = await open();

    expect(store.movedAside?.to).toBe(`${db.path}${MOVED}-2`);
    expect(readFileSync(`${db.path}${MOVED}`, 'utf8')).toBe('an earlier one');
  });

  it('refuses a valid file from a newer release and leaves it in place', async () => {
    await storeWithRecords(1);
    raw(db.path, (conn) => conn.pragma(`user_version = ${SCHEMA_VERSION + 1}`));
    const before = readFileSync(db.path);

    const attempt = open();

    await expect(attempt).rejects.toBeInstanceOf(SchemaVersionError);
    await expect(attempt).rejects.toThrow(/newer than this reconciler supports/);
    expect(readFileSync(db.path).equals(before)).toBe(true);
    expect(siblings().filter((name) => name.includes('corrupt'))).toEqual([]);
  });

  it('refuses a damaged file from a newer release rather than moving it aside', async () => {
    await storeWithRecords(300);
    raw(db.path, (conn) => conn.pragma(`user_version = ${SCHEMA_VERSION + 1}`));
    truncateSync(db.path, Math.floor(statSync(db.path).size / 2));

    await expect(open()).rejects.toBeInstanceOf(SchemaVersionError);
    await expect(open({ readOnly: true })).rejects.toBeInstanceOf(SchemaVersionError);
    expect(siblings().filter((name) => name.includes('corrupt'))).toEqual([]);
  });

  it('has a reader say the file is damaged and what will happen, without touching it', async () => {
    writeDbFile('garbage '.repeat(50));

    const attempt = open({ readOnly: true });

    await expect(attempt).rejects.toBeInstanceOf(DamagedStoreError);
    await expect(attempt).rejects.toThrow(/is damaged: .*the next `reconcile` or `daemon` moves it aside/);
    expect(siblings()).toEqual(['reconciler.db']);
  });

  it('leaves a damaged file alone while a live process on this host holds its lock', async () => {
    await storeWithRecords(300);
    raw(db.path, (conn) =>
      conn
        .prepare('INSERT INTO lock (id, pid, hostname, command, started_at, heartbeat_at, instance, token) VALUES (1, ?, ?, ?, ?, ?, ?, ?)')
        .run(process.ppid, hostname(), 'daemon', T0.toISOString(), T0.toISOString(), 'other', 'token'),
    );
    damagePage(statSync(db.path).size / 4096);

    const attempt = open();

    await expect(attempt).rejects.toBeInstanceOf(LockHeldError);
    await expect(attempt).rejects.toThrow(/in use by daemon .* also damaged .*stop that process/);
    expect(siblings().filter((name) => name.includes('corrupt'))).toEqual([]);
  });

  it('leaves a file that another connection has locked as it is, and says to wait', async () => {
    await storeWithRecords(1);
    raw(db.path, (conn) => conn.pragma('journal_mode = DELETE'));
    const holder = new Database(db.path);
    try {
      holder.exec('BEGIN EXCLUSIVE');
      const attempt = open({ busyTimeoutMs: 0 });
      await expect(attempt).rejects.toThrow(/Another program holds a lock on the file .* left as it is/);
      await expect(attempt).rejects.not.toBeInstanceOf(DamagedStoreError);
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
    expect(siblings()).toEqual(['reconciler.db']);
    const { store } = await open();
    expect(store.movedAside).toBeNull();
    expect(store.list()).toHaveLength(1);
  });

  it('counts only SQLite’s damage codes as damage, never busy, permission or I/O errors', () => {
    const code = (value: string) => ({ code: value });
    expect(['SQLITE_NOTADB', 'SQLITE_CORRUPT', 'SQLITE_CORRUPT_INDEX'].map((c) => isDamageCode(code(c)))).toEqual([true, true, true]);
    const notDamage = ['SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_CANTOPEN', 'SQLITE_READONLY', 'SQLITE_PERM', 'SQLITE_IOERR_SHORT_READ', 'EACCES'];
    expect(notDamage.filter((c) => isDamageCode(code(c)))).toEqual([]);
    expect(['SQLITE_BUSY', 'SQLITE_BUSY_RECOVERY', 'SQLITE_LOCKED'].every((c) => isBusyCode(code(c)))).toBe(true);
    expect(['EACCES', 'EPERM', 'SQLITE_CANTOPEN', 'SQLITE_READONLY_DIRECTORY', 'SQLITE_PERM'].every((c) => isPermissionCode(code(c)))).toBe(true);
    expect(isPermissionCode(code('SQLITE_IOERR'))).toBe(false);
    expect(existsSync(db.path)).toBe(false);
  });
});

describe('a pass after the state file was found damaged', () => {
  it('rebuilds from Jira and Airflow: the DAG run is adopted, no second run, no second comment', async () => {
    const h = await passDeps();
    let fresh: SqliteStore | undefined;
    try {
      h.jira.add(ticket('SCR-1'));
      await runPass(h.deps);
      expect(h.airflow.triggers).toHaveLength(1);
      const path = h.store().path;
      h.store().close();
      truncateSync(path, 1_000);

      fresh = await openStore(path, { clock: h.clock, command: 'test', lockWaitMs: 0 });
      expect(fresh.movedAside?.to).toMatch(/\.corrupt-/);
      expect(fresh.list()).toEqual([]);
      h.deps.store = fresh;
      const summary = await runPass(h.deps);

      expect(summary).toMatchObject({ adopted: 1, triggered: 0, errors: 0 });
      expect(h.airflow.triggers).toHaveLength(1);
      expect(h.jira.commentsOn('SCR-1')).toHaveLength(1);
      expect(fresh.latestForIssue('SCR-1')).toMatchObject({ airflowDagRunId: 'jira__SCR-1__10001', jiraPhase: 'started' });
    } finally {
      fresh?.close();
      h.cleanup();
    }
  });
});
