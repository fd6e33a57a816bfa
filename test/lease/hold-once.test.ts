import { describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.js';
import { holderIdentity } from '../../src/lease/holder-id.js';
import { holdLeaseOnce, LEASE_RETRY_MS } from '../../src/lease/hold-once.js';
import { LeaderHeldError } from '../../src/lease/leader-held-error.js';
import type { AcquireResult, CurrentLease } from '../../src/lease/lease-port.js';
import { PgLease } from '../../src/lease/pg-lease.js';
import { fakeClock } from '../support/fake-clock.js';
import { history, useCleanups } from './helpers.js';

const T0 = new Date('2026-12-01T10:00:00Z');

function leaseRow(holder: string, epoch: number): CurrentLease {
  return { epoch, holder, hostname: 'host-a', pid: 4242, command: 'daemon', acquiredAt: T0, renewedAt: T0, expiresAt: new Date(T0.getTime() + 15_000), live: true };
}

/** A lease whose acquire answers from a script, one answer per call. */
function scripted(answers: AcquireResult[]): { acquire(): Promise<AcquireResult>; calls: number } {
  const lease = {
    calls: 0,
    acquire() {
      lease.calls += 1;
      const answer = answers.shift();
      return answer ? Promise.resolve(answer) : Promise.reject(new Error('asked once too often'));
    },
  };
  return lease;
}

describe('holdLeaseOnce', () => {
  const daemon = leaseRow('host-a:4242:aaaa', 3);

  it('takes a free lease at once, without waiting', async () => {
    const clock = fakeClock(T0, { sleepAdvances: true });
    const lease = scripted([{ held: true, lease: leaseRow('host-b:77:bbbb', 4) }]);
    expect(await holdLeaseOnce(lease, 'reconcile', clock, 5_000)).toEqual({ holder: 'host-b:77:bbbb', epoch: 4 });
    expect(clock.sleeps).toEqual([]);
  });

  it('asks again while it may wait, and runs once the leader gives its lease back', async () => {
    const clock = fakeClock(T0, { sleepAdvances: true });
    const lease = scripted([
      { held: false, leader: daemon },
      { held: false, leader: daemon },
      { held: true, lease: leaseRow('host-b:77:bbbb', 4) },
    ]);
    expect(await holdLeaseOnce(lease, 'reconcile', clock, 5_000)).toEqual({ holder: 'host-b:77:bbbb', epoch: 4 });
    expect(lease.calls).toBe(3);
    expect(clock.sleeps).toEqual([LEASE_RETRY_MS, LEASE_RETRY_MS]);
  });

  it('names the leader once the wait is over, having asked for no longer than it', async () => {
    const clock = fakeClock(T0, { sleepAdvances: true });
    const lease = scripted(Array.from({ length: 10 }, () => ({ held: false, leader: daemon })));
    const refused = await holdLeaseOnce(lease, 'reconcile', clock, 600).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(LeaderHeldError);
    expect((refused as Error).message).toMatch(/^reconcile: .*pid 4242.*host-a/);
    // 250 + 250 + 100: the last wait ends at the deadline, and one more ask is made there.
    expect(clock.sleeps).toEqual([250, 250, 100]);
    expect(lease.calls).toBe(4);
  });

  it('with no wait, asks once and names the leader', async () => {
    const clock = fakeClock(T0, { sleepAdvances: true });
    const lease = scripted([{ held: false, leader: daemon }]);
    await expect(holdLeaseOnce(lease, 'reconcile', clock, 0)).rejects.toThrow(LeaderHeldError);
    expect(lease.calls).toBe(1);
  });
});

describe('holdLeaseOnce on a real lease', () => {
  const { later, database } = useCleanups();

  it('gets the lease a stopping daemon gives back during its wait, under the next epoch', async () => {
    const db = await database();
    const make = (command: string, host: string): PgLease => {
      const made = new PgLease({ connection: { connectionString: db.url }, leaseSeconds: 15, identity: holderIdentity(command, host, 4242) });
      later(() => made.close());
      return made;
    };
    const daemon = make('daemon', 'host-a');
    const oneShot = make('reconcile', 'host-b');
    expect((await daemon.acquire()).held).toBe(true);

    const released = new Promise<void>((resolve) => setTimeout(() => void daemon.release('daemon stopped').then(resolve), 600));
    const fence = await holdLeaseOnce(oneShot, 'reconcile', systemClock, 10_000);
    await released;
    expect(fence).toEqual({ holder: oneShot.holder, epoch: 2 });
    expect((await history(db)).map((row) => [row.epoch, row.holder])).toEqual([
      ['1', daemon.holder],
      ['2', oneShot.holder],
    ]);
  });
});
