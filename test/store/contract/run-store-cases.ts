import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newRun } from '../helpers.js';
import type { Backend, ContractStore, OpenedStore } from './backend.js';

const T0 = new Date('2025-01-05T10:00:00.000Z');
const T1 = new Date('2025-01-05T10:05:00.000Z');

/** What every RunStore promises, whichever backend keeps it. */
export function runStoreContract(backend: Backend): void {
  describe(`run records (${backend.name})`, () => {
    let opened: OpenedStore;
    let store: ContractStore;
    beforeEach(async () => {
      opened = await backend.open();
      store = opened.store;
    });
    afterEach(() => opened.done());

    it('inserts a request once: inserting it again returns the existing row unchanged', async () => {
      const first = await store.insert(newRun({ state: 'pending' }), T0);
      const again = await store.insert(newRun({ state: 'queued', source: 'quebec' }), T1);

      expect(again).toEqual(first);
      expect(again).toMatchObject({ state: 'pending', source: 'alfabeta', createdAt: T0.toISOString(), jiraPhase: 'none' });
      expect(await store.list()).toHaveLength(1);
    });

    it('keeps every field of a new record as given, with the same ISO times and JSON text', async () => {
      const record = await store.insert(
        newRun({ params: '{"since":"2025-01-01","ids":[1,2]}', requestedAt: '2025-01-05T09:58:00.000Z', summary: 'Scrape it', error: 'e' }),
        T0,
      );
      expect(record).toEqual({
        id: record.id,
        jiraIssueKey: 'SCR-12',
        requestId: '10001',
        attempt: 1,
        source: 'alfabeta',
        runType: 'DELTA',
        environment: 'dev',
        params: '{"since":"2025-01-01","ids":[1,2]}',
        airflowDagId: 'scraper_alfabeta',
        airflowDagRunId: null,
        state: 'pending',
        jiraPhase: 'none',
        platformRunId: null,
        itemCount: null,
        error: 'e',
        lastProblem: null,
        dueAt: null,
        stuckAt: null,
        requestedAt: '2025-01-05T09:58:00.000Z',
        summary: 'Scrape it',
        createdAt: T0.toISOString(),
        updatedAt: T0.toISOString(),
        startedAt: null,
        finishedAt: null,
      });
    });

    it('inserts one record when the same request is inserted twice at once', async () => {
      const [a, b] = await Promise.all([store.insert(newRun(), T0), store.insert(newRun(), T0)]);
      expect(a.id).toBe(b.id);
      expect(await store.list()).toHaveLength(1);
    });

    it('numbers two requests of one ticket inserted at once 1 and 2', async () => {
      const records = await Promise.all([store.insert(newRun({ requestId: 'a' }), T0), store.insert(newRun({ requestId: 'b' }), T0)]);
      expect(records.map((r) => r.attempt).sort()).toEqual([1, 2]);
    });

    it('numbers attempts per ticket unless one is given', async () => {
      expect((await store.insert(newRun({ requestId: 'created' }), T0)).attempt).toBe(1);
      expect((await store.insert(newRun({ requestId: '20001' }), T0)).attempt).toBe(2);
      expect((await store.insert(newRun({ jiraIssueKey: 'SCR-13', requestId: 'created' }), T0)).attempt).toBe(1);
      expect((await store.insert(newRun({ jiraIssueKey: 'SCR-14', requestId: '5', attempt: 4 }), T0)).attempt).toBe(4);
      expect((await store.insert(newRun({ jiraIssueKey: 'SCR-14', requestId: '6' }), T0)).attempt).toBe(5);
    });

    it('finds a request and the newest record of a ticket', async () => {
      await store.insert(newRun({ requestId: 'created' }), T0);
      const rerun = await store.insert(newRun({ requestId: '20001' }), T1);

      expect((await store.findRequest('SCR-12', 'created'))?.attempt).toBe(1);
      expect(await store.findRequest('SCR-12', 'nope')).toBeNull();
      expect((await store.latestForIssue('SCR-12'))?.id).toBe(rerun.id);
      expect(await store.latestForIssue('SCR-99')).toBeNull();
    });

    it('updates the given fields and updated_at, leaving the others alone', async () => {
      const record = await store.insert(newRun({ error: 'kept' }), T0);
      const updated = await store.update(
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
      expect(await store.findRequest('SCR-12', '10001')).toEqual(updated);

      const cleared = await store.update(
        record.id,
        { error: null, itemCount: 4870, platformRunId: 'RUN-1', dueAt: T1.toISOString(), stuckAt: T1.toISOString(), lastProblem: 'slow' },
        T1,
      );
      expect(cleared).toMatchObject({ error: null, itemCount: 4870, platformRunId: 'RUN-1', state: 'running', dueAt: T1.toISOString(), stuckAt: T1.toISOString(), lastProblem: 'slow' });
      const waiting = await store.update(record.id, { state: 'waiting', finishedAt: T1.toISOString(), airflowDagId: 'other' }, T1);
      expect(waiting).toMatchObject({ state: 'waiting', finishedAt: T1.toISOString(), airflowDagId: 'other' });
    });

    it('says which id is missing when updating a record that does not exist', async () => {
      await expect(async () => store.update(999, { state: 'failed' }, T0)).rejects.toThrow('No run record with id 999');
    });

    it('refuses to give one DAG run id to two requests, naming the request that has it', async () => {
      await store.insert(newRun({ airflowDagRunId: 'jira__SCR-12__1' }), T0);
      const other = await store.insert(newRun({ jiraIssueKey: 'SCR-13' }), T0);

      await expect(async () => store.insert(newRun({ jiraIssueKey: 'SCR-14', airflowDagRunId: 'jira__SCR-12__1' }), T0)).rejects.toThrow(
        'DAG run id jira__SCR-12__1 is already recorded for SCR-12 request 10001',
      );
      await expect(async () => store.update(other.id, { airflowDagRunId: 'jira__SCR-12__1' }, T0)).rejects.toThrow(/SCR-12 request 10001/);
      expect(await store.findRequest('SCR-14', '10001')).toBeNull();
      expect((await store.findRequest('SCR-13', '10001'))?.airflowDagRunId).toBeNull();
    });

    it('refuses params that are not JSON', async () => {
      await expect(async () => store.insert(newRun({ params: '{oops' }), T0)).rejects.toThrow();
      expect(await store.list()).toEqual([]);
    });

    it('lists as unfinished the records not final or not yet finished in Jira, oldest first', async () => {
      const pending = await store.insert(newRun({ jiraIssueKey: 'A-1', state: 'pending' }), T0);
      const done = await store.insert(newRun({ jiraIssueKey: 'A-2', state: 'running' }), T0);
      const toldJira = await store.insert(newRun({ jiraIssueKey: 'A-3', state: 'running' }), T0);
      const invalid = await store.insert(newRun({ jiraIssueKey: 'A-4', state: 'invalid' }), T0);
      await store.update(done.id, { state: 'success', jiraPhase: 'finished' }, T1);
      await store.update(toldJira.id, { state: 'failed', jiraPhase: 'started' }, T1);
      await store.update(invalid.id, { jiraPhase: 'finished' }, T1);

      expect((await store.unfinished()).map((r) => r.id)).toEqual([pending.id, toldJira.id]);
    });

    it('lists newest first, filtered by keys, states and limit', async () => {
      const a1 = await store.insert(newRun({ jiraIssueKey: 'A-1', state: 'running' }), T0);
      const b1 = await store.insert(newRun({ jiraIssueKey: 'B-1', state: 'failed' }), T0);
      const a2 = await store.insert(newRun({ jiraIssueKey: 'A-1', requestId: '2', state: 'failed' }), T1);
      const c1 = await store.insert(newRun({ jiraIssueKey: 'C-1', state: 'success' }), T1);

      const ids = (records: { id: number }[]): number[] => records.map((r) => r.id);
      expect(ids(await store.list())).toEqual([c1.id, a2.id, b1.id, a1.id]);
      expect(ids(await store.list({ issueKeys: ['A-1', 'C-1'] }))).toEqual([c1.id, a2.id, a1.id]);
      expect(ids(await store.list({ states: ['failed'] }))).toEqual([a2.id, b1.id]);
      expect(ids(await store.list({ issueKeys: ['A-1'], states: ['failed', 'success'] }))).toEqual([a2.id]);
      expect(ids(await store.list({ limit: 2 }))).toEqual([c1.id, a2.id]);
      expect(ids(await store.list({ issueKeys: [], states: [] }))).toHaveLength(4);
      await expect(async () => store.list({ limit: -1 })).rejects.toThrow(/limit must be a whole number/);
    });

    it('round-trips the search cursor', async () => {
      expect(await store.getCursor()).toEqual({ updatedSince: null, passCount: 0 });

      await store.setCursor({ updatedSince: new Date('2025-01-05T09:59:00.000Z'), passCount: 7 });
      expect(await store.getCursor()).toEqual({ updatedSince: new Date('2025-01-05T09:59:00.000Z'), passCount: 7 });

      await store.setCursor({ updatedSince: null, passCount: 8 });
      expect(await store.getCursor()).toEqual({ updatedSince: null, passCount: 8 });
      await expect(async () => store.setCursor({ updatedSince: new Date('nope'), passCount: 9 })).rejects.toThrow(/valid date/);
    });

    it('keeps what was written across a reopen', async () => {
      const record = await store.insert(newRun(), T0);
      await store.setCursor({ updatedSince: T0, passCount: 3 });
      await store.outbox.enqueue([{ eventKey: 'slack:SCR-12:10001:failed', channel: 'slack', payload: { n: 1 } }], T0);

      store = await opened.reopen();
      expect(await store.findRequest('SCR-12', '10001')).toEqual(record);
      expect(await store.getCursor()).toEqual({ updatedSince: T0, passCount: 3 });
      expect((await store.outbox.list()).map((r) => r.eventKey)).toEqual(['slack:SCR-12:10001:failed']);
    });
  });
}
