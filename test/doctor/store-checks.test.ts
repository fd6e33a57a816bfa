import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type SqliteStore } from '../../src/store/sqlite-store.js';
import { fakeClock } from '../support/fake-clock.js';
import { doctorAgainst, goodAirflow, goodJira, NOW, useSandbox } from './helpers.js';

const box = useSandbox();
let holder: SqliteStore | null;

beforeEach(() => {
  holder = null;
});
// Registered after useSandbox's, so the lock is let go before the sandbox is removed.
afterEach(() => {
  holder?.close();
});

function doctor(env: Record<string, string> = box.env) {
  return doctorAgainst(goodJira(), goodAirflow(), env);
}

/** This process takes the lock as `command`, as a daemon or a one-off pass started `minutesAgo` would. */
async function holdLock(command: string, minutesAgo: number): Promise<void> {
  const clock = fakeClock(new Date(NOW.getTime() - minutesAgo * 60_000));
  holder = await openStore(box.dbPath, { clock, command, lockWaitMs: 0 });
}

describe('doctor: state file', () => {
  it('passes an existing store, free of locks', async () => {
    const store = await openStore(box.dbPath, { clock: fakeClock(NOW), command: 'reconcile', lockWaitMs: 0 });
    store.close();

    const run = await doctor();

    expect(run.code).toBe(0);
    expect(run.check('state file').detail).toMatch(/reconciler\.db: schema v\d+, writable$/);
    expect(run.check('state lock')).toMatchObject({ status: 'PASS', detail: 'free' });
  });

  it('passes, with a note, while a daemon holds the lock: doctor runs beside it', async () => {
    await holdLock('daemon', 600);

    const run = await doctor();

    expect(run.code).toBe(0);
    expect(run.check('state lock').detail).toContain(`held by daemon (pid ${process.pid}`);
    expect(run.check('state lock').detail).toContain(`kill -USR1 ${process.pid}`);
  });

  it('passes while a one-off pass holds the lock for a short while', async () => {
    await holdLock('reconcile', 2);

    const run = await doctor();

    expect(run.check('state lock').status).toBe('PASS');
    expect(run.check('state lock').detail).toContain('a pass in progress');
  });

  it('fails when a one-off pass has held the lock so long it looks hung', async () => {
    await holdLock('reconcile', 90);

    const run = await doctor();

    expect(run.code).toBe(1);
    const lock = run.check('state lock');
    expect(lock.status).toBe('FAIL');
    expect(lock.detail).toContain(`held by reconcile (pid ${process.pid}`);
    expect(lock.detail).toContain('90 minutes');
    expect(lock.fix).toContain(`ps -fp ${process.pid}`);
  });

  it('fails when the database cannot be created because a file stands where its directory should be', async () => {
    writeFileSync(join(box.dir, 'data'), 'not a directory');

    const run = await doctor();

    expect(run.code).toBe(1);
    expect(run.check('state file')).toMatchObject({ status: 'FAIL', detail: `cannot create ${box.dbPath}: ${join(box.dir, 'data')} is not a writable directory` });
    expect(run.check('state file').fix).toContain('RECONCILER_DB');
    expect(run.check('state lock').detail).toBe('skipped: needs a readable state file');
  });

  it('fails a file that is not a state store', async () => {
    const path = join(box.dir, 'notes.txt');
    writeFileSync(path, 'these are not the records you are looking for, padded well past one SQLite header');

    const run = await doctor({ ...box.env, RECONCILER_DB: path });

    expect(run.check('state file').status).toBe('FAIL');
    expect(run.check('state file').detail).toContain(`cannot read ${path} as a state store`);
  });
});
