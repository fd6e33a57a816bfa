import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newRun } from '../helpers.js';
import type { Backend, ContractStore, OpenedStore } from './backend.js';

const T0 = new Date('2025-01-05T10:00:00.000Z');
const at = (ms: number): Date => new Date(T0.getTime() + ms);
const row = (eventKey: string, channel = 'slack') => ({ eventKey, channel, payload: { event: 'failed', issueKey: 'SCR-1' } });

/** What every Outbox promises, and updateAndNotify's one transaction, whichever backend keeps them. */
export function outboxContract(backend: Backend): void {
  describe(`the outbox (${backend.name})`, () => {
    let opened: OpenedStore;
    let store: ContractStore;
    beforeEach(async () => {
      opened = await backend.open();
      store = opened.store;
    });
    afterEach(() => opened.done());

    async function ids(): Promise<number[]> {
      return (await store.outbox.list()).map((r) => r.id);
    }

    it('keeps one row per event key, however often it is enqueued', async () => {
      expect(await store.outbox.enqueue([row('slack:SCR-1:1:failed'), row('email:SCR-1:1:failed', 'email')], T0)).toBe(2);
      expect(await store.outbox.enqueue([row('slack:SCR-1:1:failed')], at(1_000))).toBe(0);
      expect(await store.outbox.enqueue([], at(1_000))).toBe(0);
      const rows = await store.outbox.list();
      expect(rows.map((r) => [r.eventKey, r.channel, r.attempts, r.createdAt, r.nextAttemptAt, r.claimedAt, r.sentAt])).toEqual([
        ['slack:SCR-1:1:failed', 'slack', 0, T0.toISOString(), T0.toISOString(), null, null],
        ['email:SCR-1:1:failed', 'email', 0, T0.toISOString(), T0.toISOString(), null, null],
      ]);
      expect(rows[0]!.payload).toEqual({ event: 'failed', issueKey: 'SCR-1' });
    });

    it('keeps the first record of a delivery when a second sender records it again', async () => {
      await store.outbox.enqueue([row('a')], T0);
      const [a] = await ids();
      await store.outbox.claim(a!, T0, 60_000);
      await store.outbox.markSent(a!, at(1_000));
      await store.outbox.markSent(a!, at(2_000));
      expect((await store.outbox.list())[0]).toMatchObject({ sentAt: at(1_000).toISOString(), claimedAt: null, attempts: 1 });
      expect(await store.outbox.due(at(120_000), 10)).toEqual([]);
    });

    it('lists due rows oldest first and none that are sent, given up or not yet due', async () => {
      await store.outbox.enqueue([row('a'), row('b'), row('c'), row('d')], T0);
      const [a, b, c, d] = await ids();
      await store.outbox.claim(a!, T0, 60_000);
      await store.outbox.markSent(a!, T0);
      await store.outbox.claim(b!, T0, 60_000);
      await store.outbox.giveUp(b!, 'no', T0);
      await store.outbox.claim(c!, T0, 60_000);
      await store.outbox.markFailed(c!, 'down', at(30_000));
      expect((await store.outbox.due(at(29_999), 10)).map((r) => r.eventKey)).toEqual(['d']);
      expect((await store.outbox.due(at(30_000), 10)).map((r) => r.eventKey)).toEqual(['d', 'c']);
      expect((await store.outbox.due(at(30_000), 1)).map((r) => r.eventKey)).toEqual(['d']);
      const rows = await store.outbox.list();
      expect(rows.find((r) => r.id === d)?.attempts).toBe(0);
      expect(rows.find((r) => r.id === a)).toMatchObject({ sentAt: T0.toISOString(), claimedAt: null, lastError: null });
      expect(rows.find((r) => r.id === b)).toMatchObject({ givenUpAt: T0.toISOString(), claimedAt: null, lastError: 'no' });
      expect(rows.find((r) => r.id === c)).toMatchObject({ claimedAt: null, lastError: 'down', nextAttemptAt: at(30_000).toISOString(), attempts: 1 });
    });

    it('keeps at most 1000 characters of an error', async () => {
      await store.outbox.enqueue([row('a')], T0);
      const [a] = await ids();
      await store.outbox.markFailed(a!, 'x'.repeat(5_000), at(1));
      expect((await store.outbox.list())[0]!.lastError).toHaveLength(1_000);
    });

    it('claims a row once: attempts + 1, and due again only when the lease ends', async () => {
      await store.outbox.enqueue([row('a')], T0);
      const [a] = await ids();
      const claimed = await store.outbox.claim(a!, T0, 60_000);
      expect(claimed).toMatchObject({ attempts: 1, claimedAt: T0.toISOString(), nextAttemptAt: at(60_000).toISOString() });
      expect(await store.outbox.claim(a!, at(59_999), 60_000)).toBeNull();
      expect(await store.outbox.due(at(59_999), 10)).toEqual([]);
      expect(await store.outbox.claim(a!, at(60_000), 60_000)).toMatchObject({ attempts: 2 });
    });

    it('gives a row to one of two claims made at once', async () => {
      await store.outbox.enqueue([row('a')], T0);
      const [a] = await ids();
      const claims = await Promise.all([store.outbox.claim(a!, T0, 60_000), store.outbox.claim(a!, T0, 60_000)]);
      expect(claims.filter((claim) => claim !== null)).toHaveLength(1);
      expect((await store.outbox.list())[0]!.attempts).toBe(1);
    });

    it('makes claimed rows due now on release, keeping the claim as the mark of a send cut short', async () => {
      await store.outbox.enqueue([row('a'), row('b'), row('c')], T0);
      const [a, b, c] = await ids();
      await store.outbox.claim(a!, T0, 600_000);
      await store.outbox.claim(b!, T0, 600_000);
      await store.outbox.markSent(b!, T0);
      await store.outbox.markFailed(c!, 'refused', at(60_000));

      const reopened = await opened.reopen();
      expect(await reopened.outbox.releaseClaims(at(1_000))).toBe(1);
      expect((await reopened.outbox.due(at(1_000), 10)).map((r) => [r.eventKey, r.claimedAt, r.attempts])).toEqual([
        ['a', T0.toISOString(), 1],
      ]);
      expect(await reopened.outbox.releaseClaims(at(2_000))).toBe(0);
    });

    it('tells its listeners when rows were added, and only then', async () => {
      let calls = 0;
      const stop = store.outbox.onEnqueue(() => (calls += 1));
      await store.outbox.enqueue([row('a'), row('b')], T0);
      await store.outbox.enqueue([row('a')], T0);
      expect(calls).toBe(1);
      const record = await store.insert(newRun(), T0);
      await store.updateAndNotify(record.id, { state: 'failed' }, [row('c')], T0);
      expect(calls).toBe(2);
      stop();
      await store.outbox.enqueue([row('d')], T0);
      expect(calls).toBe(2);
    });

    it('never claims a sent or given-up row again', async () => {
      await store.outbox.enqueue([row('a'), row('b')], T0);
      const [a, b] = await ids();
      await store.outbox.claim(a!, T0, 1);
      await store.outbox.markSent(a!, T0);
      await store.outbox.giveUp(b!, 'no', T0);
      expect(await store.outbox.claim(a!, at(10_000), 1)).toBeNull();
      expect(await store.outbox.claim(b!, at(10_000), 1)).toBeNull();
    });

    it('commits a record update and its notifications together', async () => {
      const record = await store.insert(newRun(), T0);
      const updated = await store.updateAndNotify(
        record.id,
        { jiraPhase: 'finished', state: 'failed' },
        [row('slack:SCR-12:10001:failed'), row('email:SCR-12:10001:failed', 'email')],
        at(1_000),
      );
      expect(updated).toMatchObject({ jiraPhase: 'finished', state: 'failed', updatedAt: at(1_000).toISOString() });
      expect(await store.findRequest('SCR-12', '10001')).toEqual(updated);
      expect((await store.outbox.list()).map((r) => r.eventKey)).toEqual(['slack:SCR-12:10001:failed', 'email:SCR-12:10001:failed']);
    });

    it('keeps neither the update nor the notifications when a notification cannot be written', async () => {
      const record = await store.insert(newRun(), T0);
      const unwritable = { eventKey: 'slack:SCR-12:10001:failed', channel: 'slack', payload: { toJSON: () => { throw new Error('crash before commit'); } } };
      await expect(async () =>
        store.updateAndNotify(record.id, { jiraPhase: 'finished', state: 'failed' }, [row('email:SCR-12:10001:failed', 'email'), unwritable], T0),
      ).rejects.toThrow('crash before commit');
      expect(await store.findRequest('SCR-12', '10001')).toEqual(record);
      expect(await store.outbox.list()).toEqual([]);
    });

    it('queues no notification for a record that cannot be updated', async () => {
      await expect(async () => store.updateAndNotify(999, { state: 'failed' }, [row('a')], T0)).rejects.toThrow('No run record with id 999');
      expect(await store.outbox.list()).toEqual([]);
    });
  });
}
