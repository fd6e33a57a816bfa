import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LOCK_POLL_MS } from '../../src/store/lock.js';
import { LockHeldError } from '../../src/store/run-store.js';
import { LockLostError, openStore, readLockHolder, type SqliteStore } from '../../src/store/sqlite-store.js';
import { fakeClock, raw, tempDb } from './helpers.js';

interface LockRowValues {
  pid: number;
  hostname?: string;
  command: string;
  heartbeatAt?: string;
}

describe('the single-writer lock', () => {
  let db: ReturnType<typeof tempDb>;
  const opened: SqliteStore[] = [];
  const children: ChildProcess[] = [];
  beforeEach(() => {
    db = tempDb();
  });
  afterEach(() => {
    for (const store of opened.splice(0)) store.close();
    for (const child of children.splice(0)) child.kill('SIGKILL');
    db.cleanup();
  });

  async function open(command: string, clock = fakeClock(), lockWaitMs = 1_000): Promise<SqliteStore> {
    const store = await openStore(db.path, { clock, command, lockWaitMs });
    opened.push(store);
    return store;
  }

  /** Makes the file look held by another process, the way its own openStore would have left it. */
  async function holdFor(values: LockRowValues): Promise<void> {
    if (!existsSync(db.path)) {
      const setup = await open('setup');
      setup.close();
    }
    const at = values.heartbeatAt ?? '2025-01-05T10:00:00.000Z';
    raw(db.path, (conn) =>
      conn
        .prepare(
          `INSERT OR REPLACE INTO lock (id, pid, hostname, command, started_at, heartbeat_at, instance, token)
           VALUES (1, ?, ?, ?, '2025-01-05T09:00:00.000Z', ?, 'another-process', 'their-token')`,
        )
        .run(values.pid, values.hostname ?? hostname(), values.command, at),
    );
  }

  async function liveChild(): Promise<number> {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 60000)'], { stdio: 'ignore' });
    children.push(child);
    await once(child, 'spawn');
    return child.pid!;
  }

  async function deadPid(): Promise<number> {
    const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
    await once(child, 'exit');
    return child.pid!;
  }

  function lockRow(): { pid: number; command: string; heartbeat_at: string } | undefined {
    return raw(db.path, (conn) => conn.prepare('SELECT pid, command, heartbeat_at FROM lock').get()) as
      | { pid: number; command: string; heartbeat_at: string }
      | undefined;
  }

  it('makes a second writer in this process wait, then refuse, naming the holder', async () => {
    await open('daemon');
    const clock = fakeClock();

    const second = open('reconcile', clock, 1_000);
    await expect(second).rejects.toBeInstanceOf(LockHeldError);
    const error = (await second.catch((e: unknown) => e)) as LockHeldError;
    expect(error.holder).toMatchObject({ pid: process.pid, command: 'daemon', hostname: hostname() });
    expect(error.message).toContain(`daemon (pid ${process.pid}`);
    expect(error.message).toContain('SIGUSR1');
    expect(clock.waits).toEqual([LOCK_POLL_MS, LOCK_POLL_MS, LOCK_POLL_MS, LOCK_POLL_MS]);
  });

  it('refuses at once when told not to wait', async () => {
    await open('daemon');
    const clock = fakeClock();
    await expect(open('reconcile', clock, 0)).rejects.toBeInstanceOf(LockHeldError);
    expect(clock.waits).toEqual([]);
  });

  it('refuses while another live process holds the file, and takes over once it is gone', async () => {
    const pid = await liveChild();
    await holdFor({ pid, command: 'reconcile' });
    const clock = fakeClock();

    const error = (await open('daemon', clock, 500).catch((e: unknown) => e)) as LockHeldError;
    expect(error).toBeInstanceOf(LockHeldError);
    expect(error.holder).toMatchObject({ pid, command: 'reconcile' });
    expect(error.message).toContain(`reconcile (pid ${pid}`);
    expect(clock.waits).toEqual([250, 250]);

    const child = children.pop()!;
    child.kill('SIGKILL');
    await once(child, 'exit');

    const store = await open('daemon');
    expect(store.tookOverLockFrom).toMatchObject({ pid, command: 'reconcile' });
    expect(lockRow()).toMatchObject({ pid: process.pid, command: 'daemon' });
  });

  it('takes over at once from a holder on this host whose process is gone', async () => {
    const pid = await deadPid();
    await holdFor({ pid, command: 'daemon' });
    const clock = fakeClock();

    const store = await open('reconcile', clock);
    expect(clock.waits).toEqual([]);
    expect(store.tookOverLockFrom).toMatchObject({ pid, command: 'daemon' });
  });

  it('takes over a row left by an earlier process that had this same pid', async () => {
    await holdFor({ pid: process.pid, command: 'daemon' });
    const store = await open('daemon', fakeClock(), 0);
    expect(store.tookOverLockFrom).toMatchObject({ pid: process.pid });
  });

  it('trusts a holder on another host only while its heartbeat is recent', async () => {
    const clock = fakeClock(new Date('2025-01-05T10:00:00.000Z'));
    await holdFor({ pid: 1, hostname: 'other-host', command: 'daemon', heartbeatAt: '2025-01-05T09:59:00.000Z' });
    await expect(open('reconcile', clock, 0)).rejects.toThrow(/daemon \(pid 1 on other-host/);

    await holdFor({ pid: 1, hostname: 'other-host', command: 'daemon', heartbeatAt: '2025-01-05T09:57:59.000Z' });
    const store = await open('reconcile', clock, 0);
    expect(store.tookOverLockFrom).toMatchObject({ hostname: 'other-host' });
  });

  it('gets the lock mid-wait when the holder closes, counting the waits', async () => {
    const holder = await open('reconcile');
    const clock = fakeClock();
    clock.onSleep = (count) => {
      if (count === 3) holder.close();
    };

    await open('daemon', clock, 5_000);
    expect(clock.waits).toEqual([250, 250, 250]);
    expect(lockRow()).toMatchObject({ command: 'daemon' });
  });

  it('is released on close, so the next writer gets it without waiting', async () => {
    const first = await open('reconcile');
    first.close();
    first.close();
    expect(lockRow()).toBeUndefined();
    expect(readLockHolder(db.path)).toBeNull();

    const clock = fakeClock();
    await open('daemon', clock, 0);
    expect(clock.waits).toEqual([]);
  });

  it('is not deleted on close by a writer that lost it', async () => {
    const store = await open('daemon');
    const pid = await liveChild();
    raw(db.path, (conn) => conn.prepare("UPDATE lock SET pid = ?, command = 'reconcile', token = 'theirs'").run(pid));

    expect(() => store.heartbeat()).toThrow(LockLostError);
    expect(() => store.heartbeat()).toThrow(/no longer ours \(now held by reconcile \(pid \d+/);
    store.close();
    expect(lockRow()).toMatchObject({ pid, command: 'reconcile' });
  });

  it('records heartbeats from the clock', async () => {
    const clock = fakeClock(new Date('2025-01-05T10:00:00.000Z'));
    const store = await open('daemon', clock);
    await clock.sleep(90_000);
    store.heartbeat();
    expect(lockRow()?.heartbeat_at).toBe('2025-01-05T10:01:30.000Z');
  });

  it('is released by the exit handler that openStore registers, which close removes', async () => {
    const before = process.listeners('exit');
    const store = await open('daemon');
    const added = process.listeners('exit').filter((l) => !before.includes(l));
    expect(added).toHaveLength(1);

    added[0]!(0);
    expect(lockRow()).toBeUndefined();
    expect(process.listeners('exit')).toEqual(before);
    expect(() => store.close()).not.toThrow();
  });

  it('removes its exit handler on close', async () => {
    const before = process.listeners('exit');
    const store = await open('daemon');
    store.close();
    expect(process.listeners('exit')).toEqual(before);
  });

  it('reports the holder for doctor, and none when the holder is gone', async () => {
    expect(readLockHolder(db.path)).toBeNull();
    await open('daemon');
    expect(readLockHolder(db.path)).toMatchObject({ pid: process.pid, command: 'daemon', hostname: hostname() });

    opened.pop()!.close();
    await holdFor({ pid: await deadPid(), command: 'daemon' });
    expect(readLockHolder(db.path)).toBeNull();
  });
});
