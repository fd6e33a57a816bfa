import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type SqliteStore } from '../../src/store/sqlite-store.js';
import { fakeClock, newRun, raw, tempDb } from './helpers.js';

const T0 = new Date('2025-01-05T10:00:00.000Z');
const T1 = new Date('2025-01-05T10:05:00.000Z');

describe('run records', () => {
  let db: ReturnType<typeof tempDb>;
  let store: SqliteStore;
  beforeEach(async () => {
    db = tempDb();
    store = await openStore(db.path, { clock: fakeClock(), command: 'reconcile', lockWaitMs: 0 });
  });
  afterEach(() => {
    store.close();
    db.cleanup();
  });

  it('inserts a request once: inserting it again returns the existing row unchanged', () => {
    const first = store.insert(newRun({ state: 'pending' }), T0);
    const again = store.insert(newRun({ state: 'queued', source: 'quebec' }), T1);

    expect(again).toEqual(first);
    expect(again).toMatchObject({ state: 'pending', source: 'alfabeta', createdAt: T0.toISOString(), jiraPhase: 'none' });
    expect(store.list()).toHaveLength(1);
  });

  it('numbers attempts per ticket unless one is given', () => {
    expect(store.insert(newRun({ requestId: 'created' }), T0).attempt).toBe(1);
    expect(store.insert(newRun({ requestId: '20001' }), T0).attempt).toBe(2);
    expect(store.insert(newRun({ jiraIssueKey: 'SCR-13', requestId: 'created' }), T0).attempt).toBe(1);
    expect(store.insert(newRun({ jiraIssueKey: 'SCR-14', requestId: '5', attempt: 4 }), T0).attempt).toBe(4);
    expect(store.insert(newRun({ jiraIssueKey: 'SCR-14', requestId: '6' }), T0).attempt).toBe(5);
  });

  it('finds a request and the newest record of a ticket', () => {
    store.insert(newRun({ requestId: 'created' }), T0);
    const rerun = store.insert(newRun({ requestId: '20001' }), T1);

    expect(store.findRequest('SCR-12', 'created')?.attempt).toBe(1);
    expect(store.findRequest('SCR-12', 'nope')).toBeNull();
    expect(store.latestForIssue('SCR-12')?.id).toBe(rerun.id);
    expect(store.latestForIssue('SCR-99')).toBeNull();
  });

  it('updates the given fields and updated_at, leaving the others alone', () => {
    const record = store.insert(newRun({ error: 'kept' }), T0);
    const updated = store.update(
      record.id,
      { state: 'running', airflowDagRunId: 'jira__SCR-12__1', startedAt: T1.toISOString(), jiraPhase: 'started' },
      T1,
    );

    expect(updated).toMatchObject({
      state: 'running',
      airflowDagRunId: 'jira__SCR-12__1',
      startedAt: T1.toISOString(),
      jiraPhase: 'started',
      error: 'kept',
      createdAt: T0.toISOString(),
      updatedAt: T1.toISOString(),
    });
    expect(store.findRequest('SCR-12', '10001')).toEqual(updated);

    const cleared = store.update(record.id, { error: null, itemCount: 4870, platformRunId: 'RUN-1' }, T1);
    expect(cleared).toMatchObject({ error: null, itemCount: 4870, platformRunId: 'RUN-1', state: 'running' });
  });

  it('says which id is missing when updating a record that does not exist', () => {
    expect(() => store.update(999, { state: 'failed' }, T0)).toThrow('No run record with id 999');
  });

  it('refuses to give one DAG run id to two requests, naming the request that has it', () => {
    store.insert(newRun({ airflowDagRunId: 'jira__SCR-12__1' }), T0);
    const other = store.insert(newRun({ jiraIssueKey: 'SCR-13' }), T0);

    expect(() => store.insert(newRun({ jiraIssueKey: 'SCR-14', airflowDagRunId: 'jira__SCR-12__1' }), T0)).toThrow(
      'DAG run id jira__SCR-12__1 is already recorded for SCR-12 request 10001',
    );
    expect(() => store.update(other.id, { airflowDagRunId: 'jira__SCR-12__1' }, T0)).toThrow(/SCR-12 request 10001/);
    expect(store.findRequest('SCR-14', '10001')).toBeNull();
  });

  it('refuses params that are not JSON', () => {
    expect(() => store.insert(newRun({ params: '{oops' }), T0)).toThrow(/CHECK constraint/);
  });

  it('lists as unfinished the records not final or not yet finished in Jira, oldest first', () => {
    const pending = store.insert(newRun({ jiraIssueKey: 'A-1', state: 'pending' }), T0);
    const done = store.insert(newRun({ jiraIssueKey: 'A-2', state: 'running' }), T0);
    const toldJira = store.insert(newRun({ jiraIssueKey: 'A-3', state: 'running' }), T0);
    const invalid = store.insert(newRun({ jiraIssueKey: 'A-4', state: 'invalid' }), T0);
    store.update(done.id, { state: 'success', jiraPhase: 'finished' }, T1);
    store.update(toldJira.id, { state: 'failed', jiraPhase: 'started' }, T1);
    store.update(invalid.id, { jiraPhase: 'finished' }, T1);

    expect(store.unfinished().map((r) => r.id)).toEqual([pending.id, toldJira.id]);
  });

  it('answers unfinished() from its partial index', () => {
    const plan = raw(db.path, (conn) =>
      conn
        .prepare<[], { detail: string }>(
          `EXPLAIN QUERY PLAN SELECT * FROM runs
           WHERE state NOT IN ('success', 'failed', 'cancelled', 'invalid') OR jira_phase <> 'finished' ORDER BY id`,
        )
        .all(),
    );
    expect(plan.map((p) => p.detail).join('\n')).toMatch(/USING (COVERING )?INDEX runs_unfinished/);
  });

  it('lists newest first, filtered by keys, states and limit', () => {
    const a1 = store.insert(newRun({ jiraIssueKey: 'A-1', state: 'running' }), T0);
    const b1 = store.insert(newRun({ jiraIssueKey: 'B-1', state: 'failed' }), T0);
    const a2 = store.insert(newRun({ jiraIssueKey: 'A-1', requestId: '2', state: 'failed' }), T1);
    const c1 = store.insert(newRun({ jiraIssueKey: 'C-1', state: 'success' }), T1);

    const ids = (records: { id: number }[]): number[] => records.map((r) => r.id);
    expect(ids(store.list())).toEqual([c1.id, a2.id, b1.id, a1.id]);
    expect(ids(store.list({ issueKeys: ['A-1', 'C-1'] }))).toEqual([c1.id, a2.id, a1.id]);
    expect(ids(store.list({ states: ['failed'] }))).toEqual([a2.id, b1.id]);
    expect(ids(store.list({ issueKeys: ['A-1'], states: ['failed', 'success'] }))).toEqual([a2.id]);
    expect(ids(store.list({ limit: 2 }))).toEqual([c1.id, a2.id]);
    expect(ids(store.list({ issueKeys: [], states: [] }))).toHaveLength(4);
    expect(() => store.list({ limit: -1 })).toThrow(/limit must be a whole number/);
  });

  it('round-trips the search cursor', () => {
    expect(store.getCursor()).toEqual({ updatedSince: null, passCount: 0 });

    store.setCursor({ updatedSince: new Date('2025-01-05T09:59:00.000Z'), passCount: 7 });
    expect(store.getCursor()).toEqual({ updatedSince: new Date('2025-01-05T09:59:00.000Z'), passCount: 7 });

    store.setCursor({ updatedSince: null, passCount: 8 });
    expect(store.getCursor()).toEqual({ updatedSince: null, passCount: 8 });
    expect(raw(db.path, (conn) => conn.prepare('SELECT COUNT(*) AS n FROM cursor').get())).toEqual({ n: 1 });
  });

  it('keeps what was written across a reopen', async () => {
    const record = store.insert(newRun(), T0);
    store.setCursor({ updatedSince: T0, passCount: 3 });
    store.close();

    store = await openStore(db.path, { clock: fakeClock(), command: 'reconcile', lockWaitMs: 0 });
    expect(store.findRequest('SCR-12', '10001')).toEqual(record);
    expect(store.getCursor()).toEqual({ updatedSince: T0, passCount: 3 });
  });
});
