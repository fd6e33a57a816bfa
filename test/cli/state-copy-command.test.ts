import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openPgStore } from '../../src/store/pg/pg-store.js';
import { openStore } from '../../src/store/sqlite-store.js';
import { ensureBuilt, runCli } from '../integration/cli.js';
import { fakeClock, newRun, tempDb } from '../store/helpers.js';
import { setLease } from '../store/pg/pg-helpers.js';
import { createTestDatabase, type TestDatabase } from '../support/pg.js';

const T0 = new Date('2025-01-05T10:00:00.000Z');
const T1 = new Date('2025-01-05T10:05:00.000Z');

describe('state copy, through the built CLI', () => {
  let file: ReturnType<typeof tempDb>;
  let db: TestDatabase;
  beforeAll(() => ensureBuilt(), 180_000);
  beforeEach(async () => {
    file = tempDb();
    db = await createTestDatabase();
    const store = await openStore(file.path, { clock: fakeClock(), command: 'daemon', lockWaitMs: 0 });
    try {
      const first = store.insert(newRun({ jiraIssueKey: 'SCR-1', airflowDagRunId: 'jira__SCR-1__1', summary: 'One' }), T0);
      store.update(first.id, { state: 'success', jiraPhase: 'finished', itemCount: 12, finishedAt: T1.toISOString() }, T1);
      store.insert(newRun({ jiraIssueKey: 'SCR-2', requestId: 'created', params: null, state: 'invalid', error: 'bad' }), T0);
      const third = store.insert(newRun({ jiraIssueKey: 'SCR-3', state: 'running', airflowDagRunId: 'jira__SCR-3__1' }), T1);
      store.updateAndNotify(third.id, { lastProblem: 'slow' }, [{ eventKey: 'slack:SCR-3:10001:stuck', channel: 'slack', payload: { event: 'stuck' } }], T1);
      store.outbox.enqueue([{ eventKey: 'email:SCR-1:10001:success', channel: 'email', payload: { event: 'success', to: ['a@b.io'] } }], T1);
      const [claimed] = store.outbox.list();
      store.outbox.claim(claimed!.id, T1, 60_000);
      store.setCursor({ updatedSince: T1, passCount: 41 });
    } finally {
      store.close();
    }
  });
  afterEach(async () => {
    file.cleanup();
    await db.drop();
  });

  async function sqliteState() {
    const store = await openStore(file.path, { clock: fakeClock(), command: 'runs', lockWaitMs: 0, readOnly: true });
    try {
      return { runs: store.list(), outbox: store.outbox.list(), cursor: store.getCursor() };
    } finally {
      store.close();
    }
  }

  async function pgState() {
    const store = await openPgStore(db.url, { command: 'runs', readOnly: true });
    try {
      return { runs: await store.list(), outbox: await store.outbox.list(), cursor: await store.getCursor() };
    } finally {
      await store.close();
    }
  }

  it('copies every record, the cursor and the outbox as they are, ids kept, and prints the counts', async () => {
    const result = await runCli(['state', 'copy', '--from', file.path, '--to', db.url], {});
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Copied 3 run record(s), 2 notification(s) and the search cursor (pass 41)');
    expect(await pgState()).toEqual(await sqliteState());

    // New records and notifications get ids after the copied ones.
    const store = await openPgStore(db.url, { command: 'daemon' });
    try {
      expect((await store.insert(newRun({ jiraIssueKey: 'SCR-4' }), T1)).id).toBe(4);
      await store.outbox.enqueue([{ eventKey: 'new', channel: 'slack', payload: {} }], T1);
      expect((await store.outbox.list()).map((r) => r.id)).toEqual([1, 2, 3]);
    } finally {
      await store.close();
    }
  });

  it('refuses a database that already holds records, unless --force', async () => {
    expect((await runCli(['state', 'copy', '--from', file.path, '--to', db.url], {})).code).toBe(0);

    const again = await runCli(['state', 'copy', '--from', file.path, '--to', db.url], {});
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already holds 3 run record\(s\): nothing was copied\. Pass --force to replace/);

    const forced = await runCli(['state', 'copy', '--from', file.path, '--to', db.url, '--force'], {});
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain('replacing the 3 run record(s) it held');
    expect(await pgState()).toEqual(await sqliteState());
  });

  it('copies into RECONCILER_DATABASE_URL (or its _FILE) when --to is left out, never printing the password', async () => {
    const withPassword = new URL(db.url);
    withPassword.password = 'pg-secret-pw';
    const result = await runCli(['state', 'copy', '--from', file.path], { RECONCILER_DATABASE_URL: withPassword.toString() });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(':***@');
    expect(result.stdout + result.stderr).not.toContain('pg-secret-pw');
    expect((await pgState()).runs).toHaveLength(3);

    const secretFile = join(dirname(dirname(file.path)), 'database-url');
    writeFileSync(secretFile, `${withPassword.toString()}\n`);
    const fromFile = await runCli(['state', 'copy', '--from', file.path, '--force'], { RECONCILER_DATABASE_URL_FILE: secretFile });
    expect(fromFile.code).toBe(0);
    expect(fromFile.stdout).toContain('replacing the 3 run record(s) it held');
    expect(fromFile.stdout + fromFile.stderr).not.toContain('pg-secret-pw');
  });

  it('refuses a database a daemon leads on', async () => {
    const store = await openPgStore(db.url, { command: 'daemon' });
    await store.close();
    await setLease(db.url, 'host-a:4242:aaaa', 3, 30);
    const result = await runCli(['state', 'copy', '--from', file.path, '--to', db.url], {});
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/A daemon \(pid 4242 on host-a\) leads on this state database: nothing was copied/);
  });

  it('says what is missing or wrong: no --from, no target, a bad URL, no such file', async () => {
    const stateAlone = await runCli(['state'], {});
    expect(stateAlone.code).toBe(2);
    expect(stateAlone.stderr).toContain('state: say which one: use one of state copy');

    const noFrom = await runCli(['state', 'copy', '--to', db.url], {});
    expect(noFrom.code).toBe(2);
    expect(noFrom.stderr).toContain('--from FILE is required');

    const noTarget = await runCli(['state', 'copy', '--from', file.path], {});
    expect(noTarget.code).toBe(2);
    expect(noTarget.stderr).toContain('--to URL is required when RECONCILER_DATABASE_URL is not set');

    const badUrl = await runCli(['state', 'copy', '--from', file.path, '--to', 'mysql://u:pg-secret-pw@h/db'], {});
    expect(badUrl.code).toBe(1);
    expect(badUrl.stderr).toContain('--to: uses mysql:, which is not a PostgreSQL URL');
    expect(badUrl.stderr).not.toContain('pg-secret-pw');

    const noFile = await runCli(['state', 'copy', '--from', `${file.path}.missing`, '--to', db.url], {});
    expect(noFile.code).toBe(1);
    expect(noFile.stderr).toContain('There is no SQLite state file at');
  });

  it('prints its help, saying --to may come from RECONCILER_DATABASE_URL', async () => {
    const help = await runCli(['state', 'copy', '--help'], {});
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: jira-airflow-reconciler state copy --from FILE [--to URL] [--force]');
    expect(help.stdout).toContain('may be left out when RECONCILER_DATABASE_URL');
  });
});
