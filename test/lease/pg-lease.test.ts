import { describe, expect, it } from 'vitest';
import { holderIdentity } from '../../src/lease/holder-id.js';
import { PgLease, type PgLeaseOptions } from '../../src/lease/pg-lease.js';
import { terminateSessions } from '../support/pg.js';
import { history, until, useCleanups, type LeaseDb as Db } from './helpers.js';

describe('PgLease', () => {
  const { later, database } = useCleanups();

  function lease(db: Db, host: string, options: Partial<PgLeaseOptions> = {}): PgLease {
    const made = new PgLease({ connection: { connectionString: db.url }, leaseSeconds: 5, identity: holderIdentity('daemon', host, 4242), ...options });
    later(() => made.close());
    return made;
  }

  it('takes a free lease under epoch 1 and records it in the history', async () => {
    const db = await database();
    const a = lease(db, 'host-a');
    const result = await a.acquire();
    expect(result.held).toBe(true);
    expect(a.holder).toMatch(/^host-a:4242:[0-9a-f]{8}$/);
    expect(a.fence()).toEqual({ holder: a.holder, epoch: 1 });
    const rows = await history(db);
    expect(rows.map((row) => [row.epoch, row.holder, row.ended_at])).toEqual([['1', a.holder, null]]);
    expect(await a.read()).toMatchObject({ epoch: 1, holder: a.holder, hostname: 'host-a', pid: 4242, command: 'daemon', live: true });
  });

  it('does not take a live lease of another holder, and names that holder', async () => {
    const db = await database();
    const a = lease(db, 'host-a');
    const b = lease(db, 'host-b');
    await a.acquire();
    const result = await b.acquire();
    expect(result).toMatchObject({ held: false, leader: { holder: a.holder, hostname: 'host-a', epoch: 1, live: true } });
    // How long it has left, by the database's clock: what a standby aims its next try at.
    const left = result.held ? -1 : (result.leader?.remainingMs ?? -1);
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThanOrEqual(5_000);
    expect(b.validForMs()).toBe(0);
    expect(b.fence()).toBeNull();
    expect((await b.renew()).renewed).toBe(false);
    expect(await history(db)).toHaveLength(1);
  });

  it('renews only its own lease; the row and the history move on together', async () => {
    const db = await database();
    const a = lease(db, 'host-a');
    const acquired = await a.acquire();
    if (!acquired.held) throw new Error('not acquired');
    const renewed = await a.renew();
    if (!renewed.renewed) throw new Error('not renewed');
    expect(renewed.lease.epoch).toBe(1);
    expect(renewed.lease.expiresAt.getTime()).toBeGreaterThan(acquired.lease.expiresAt.getTime());
    const [row] = await history(db);
    expect(row!.renewed_at.getTime()).toBe(renewed.lease.renewedAt.getTime());
    expect(row!.expires_at.getTime()).toBe(renewed.lease.expiresAt.getTime());
  });

  it('takes an expired lease under the next epoch and closes the old one in the history', async () => {
    const db = await database();
    const a = lease(db, 'host-a', { leaseSeconds: 0.4 });
    const b = lease(db, 'host-b', { leaseSeconds: 0.4 });
    await a.acquire();
    await until('the lease expired by the database clock', async () => (await b.read())?.live === false);
    const taken = await b.acquire();
    expect(taken).toMatchObject({ held: true, lease: { epoch: 2, holder: b.holder } });
    expect(await a.renew()).toEqual({ renewed: false });
    expect(a.validForMs()).toBe(0);
    const [first, second] = await history(db);
    expect(first).toMatchObject({ epoch: '1', holder: a.holder, ended_why: 'expired' });
    expect(first!.ended_at!.getTime()).toBe(first!.expires_at.getTime());
    expect(second).toMatchObject({ epoch: '2', holder: b.holder, ended_at: null });
  });

  it('gives the lease to exactly one of several contenders at once, round after round', async () => {
    const db = await database();
    const contenders = ['a', 'b', 'c', 'd', 'e', 'f'].map((name) => lease(db, `host-${name}`));
    for (let round = 1; round <= 4; round++) {
      const results = await Promise.all(contenders.map((contender) => contender.acquire()));
      const winners = contenders.filter((_, i) => results[i]!.held);
      expect(winners).toHaveLength(1);
      const winner = winners[0]!;
      expect(winner.fence()).toEqual({ holder: winner.holder, epoch: round });
      for (const result of results) if (!result.held) expect(result.leader).toMatchObject({ holder: winner.holder, live: true });
      await winner.release('stopped');
    }
    const rows = await history(db);
    expect(rows.map((row) => row.epoch)).toEqual(['1', '2', '3', '4']);
    expect(rows.every((row) => row.ended_why === 'stopped')).toBe(true);
  });

  it('releases on a graceful stop: expired at once, the history says why, a standby takes it at once', async () => {
    const db = await database();
    const a = lease(db, 'host-a');
    const b = lease(db, 'host-b');
    await a.acquire();
    await a.release('stopped');
    expect(a.validForMs()).toBe(0);
    expect(await b.acquire()).toMatchObject({ held: true, lease: { epoch: 2 } });
    const [first] = await history(db);
    expect(first).toMatchObject({ epoch: '1', ended_why: 'stopped' });
    expect(first!.ended_at).not.toBeNull();
  });

  it('trusts its lease from when the acquire was sent, by its own monotonic clock', async () => {
    const db = await database();
    let now = 1_000;
    const a = lease(db, 'host-a', { leaseSeconds: 5, monotonicMs: () => now });
    const acquiring = a.acquire();
    // The answer takes 700 ms to come back: those 700 ms are already spent of the lease.
    now += 700;
    await acquiring;
    expect(a.validForMs()).toBe(4_300);
    now += 4_299;
    expect(a.validForMs()).toBe(1);
    expect(a.fence()).not.toBeNull();
    now += 1;
    expect(a.validForMs()).toBe(0);
    expect(a.fence()).toBeNull();
  });

  it('trusts its lease no longer by the wall clock either: a host that slept does not move the monotonic clock', async () => {
    const db = await database();
    let wall = Date.parse('2026-12-01T10:00:00Z');
    const a = lease(db, 'host-a', { leaseSeconds: 5, monotonicMs: () => 0, wallMs: () => wall });
    await a.acquire();
    expect(a.validForMs()).toBe(5_000);
    wall += 3_000;
    expect(a.validForMs()).toBe(2_000);
    // A wall clock set back does not lengthen it beyond the monotonic bound.
    wall -= 60_000;
    expect(a.validForMs()).toBe(5_000);
    wall += 62_000;
    expect(a.validForMs()).toBe(0);
  });

  it('takes its own lease again under a new epoch when an acquire answer was lost', async () => {
    const db = await database();
    const a = lease(db, 'host-a');
    await a.acquire();
    a.forget();
    expect(await a.acquire()).toMatchObject({ held: true, lease: { epoch: 2 } });
    const [first] = await history(db);
    expect(first).toMatchObject({ epoch: '1', ended_why: 'taken again by its own holder' });
  });

  it('reconnects after its session is cut and renews while still in time', async () => {
    const db = await database();
    const a = lease(db, 'host-a');
    await a.acquire();
    expect(await terminateSessions(db.url)).toBeGreaterThanOrEqual(1);
    // The cut may surface on the next call; the one after runs on a new session.
    const first = await a.renew().catch(() => null);
    const renewed = first ?? (await a.renew());
    expect(renewed).toMatchObject({ renewed: true, lease: { epoch: 1, holder: a.holder } });
  });

  it('refuses a lease that is not a positive number of seconds', () => {
    expect(() => new PgLease({ connection: { connectionString: 'postgres://x@127.0.0.1/x' }, leaseSeconds: 0 })).toThrow(
      'ha.leaseSeconds must be a positive number of seconds, got 0',
    );
  });
});
