import { describe, expect, it } from 'vitest';
import { Leadership } from '../../src/lease/leadership.js';
import type { AcquireResult, CurrentLease, Lease } from '../../src/lease/lease-port.js';
import { fakeClock } from '../support/fake-clock.js';
import { captureLog } from '../support/log-capture.js';

const T0 = new Date('2026-12-01T10:00:00Z');
const LEASE_SECONDS = 15;
const PERIOD = (LEASE_SECONDS * 1000) / 3;

function other(remainingMs: number | undefined): CurrentLease {
  return {
    epoch: 7,
    holder: 'host-a:4242:aaaa',
    hostname: 'host-a',
    pid: 4242,
    command: 'daemon',
    acquiredAt: T0,
    renewedAt: T0,
    expiresAt: new Date(T0.getTime() + 15_000),
    live: true,
    ...(remainingMs === undefined ? {} : { remainingMs }),
  };
}

/** A standby whose acquire attempts answer from a script; it stops once it leads. The waits it asked for are the clock's sleeps. */
async function standbyWaits(answers: AcquireResult[]): Promise<number[]> {
  const clock = fakeClock(T0, { sleepAdvances: true });
  const lease: Lease = {
    holder: 'host-b:77:bbbb',
    acquire: () => Promise.resolve(answers.shift() ?? { held: true, lease: { ...other(15_000), epoch: 8, holder: 'host-b:77:bbbb' } }),
    renew: () => Promise.resolve({ renewed: false }),
    release: () => Promise.resolve(),
    read: () => Promise.resolve(null),
    validForMs: () => 0,
    fence: () => null,
    forget: () => undefined,
    close: () => Promise.resolve(),
  };
  const leadership: Leadership = new Leadership({
    lease,
    leaseSeconds: LEASE_SECONDS,
    clock,
    log: captureLog().log,
    onLead: (): void => leadership.stop(),
  });
  await leadership.run();
  return clock.sleeps;
}

describe('a standby aims its next try at the end of the lease it saw', () => {
  it('keeps its period while the leader renews (more than a period left)', async () => {
    expect(await standbyWaits([{ held: false, leader: other(12_000) }, { held: false, leader: other(14_500) }])).toEqual([PERIOD, PERIOD]);
  });

  it('tries right after the end of a lease no one renews, not up to a period later', async () => {
    // The leader died 8 s into its 15 s lease's last renew: 2 s are left at this try.
    expect(await standbyWaits([{ held: false, leader: other(7_000) }, { held: false, leader: other(2_000) }])).toEqual([PERIOD, 2_025]);
  });

  it('keeps its period when the database does not say how long is left', async () => {
    expect(await standbyWaits([{ held: false, leader: other(undefined) }])).toEqual([PERIOD]);
  });
});
