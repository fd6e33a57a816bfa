import { describe, expect, it } from 'vitest';
import { systemClock, type Clock } from '../../src/clock.js';
import { leadershipReadiness } from '../../src/daemon/readiness.js';
import { holderIdentity } from '../../src/lease/holder-id.js';
import { LeaseLostError } from '../../src/lease/lease-lost-error.js';
import type { CurrentLease, Lease } from '../../src/lease/lease-port.js';
import type { Fence } from '../../src/lease/lease-table.js';
import { Leadership } from '../../src/lease/leadership.js';
import { PgLease } from '../../src/lease/pg-lease.js';
import { guardRequests } from '../../src/lease/write-guard.js';
import { Metrics } from '../../src/observability/metrics.js';
import { captureLog } from '../support/log-capture.js';
import { terminateSessions } from '../support/pg.js';
import { databaseOutage, history, manualTime, until, useCleanups, type LeaseDb as Db, type ManualTime } from './helpers.js';

interface Replica {
  name: string;
  lease: PgLease;
  leadership: Leadership;
  metrics: Metrics;
  logged(): Array<{ msg: string; [key: string]: unknown }>;
  /** Each term this replica led: its fence and whether its work was told to stop. */
  terms: Array<{ fence: Fence; signal: AbortSignal }>;
  standbyFor: Array<CurrentLease | null>;
  running: Promise<void>;
  /** The loop waits on its clock, with no database call under way. */
  idle(): boolean;
}

/** The lease with its database calls counted, so a test knows when the loop has settled into a wait. */
function counted(lease: PgLease): { lease: Lease; inFlight: () => number } {
  let inFlight = 0;
  const track = <T>(call: Promise<T>): Promise<T> => {
    inFlight++;
    return call.finally(() => inFlight--);
  };
  return {
    inFlight: () => inFlight,
    lease: {
      holder: lease.holder,
      acquire: () => track(lease.acquire()),
      renew: () => track(lease.renew()),
      release: (why) => track(lease.release(why)),
      read: () => track(lease.read()),
      validForMs: () => lease.validForMs(),
      fence: () => lease.fence(),
      forget: () => lease.forget(),
      close: () => lease.close(),
    },
  };
}

describe('Leadership', () => {
  const { later, database } = useCleanups();

  function replica(db: Db, name: string, leaseSeconds: number, time?: ManualTime): Replica {
    const clock: Clock = time?.clock ?? systemClock;
    const lease = new PgLease({
      connection: { connectionString: db.url },
      leaseSeconds,
      identity: holderIdentity('daemon', name, 100),
      ...(time ? { monotonicMs: time.monotonicMs } : {}),
      timeoutMs: 2_000,
    });
    const { log, text } = captureLog();
    const metrics = new Metrics();
    const terms: Replica['terms'] = [];
    const standbyFor: Replica['standbyFor'] = [];
    const watched = counted(lease);
    const leadership = new Leadership({
      lease: watched.lease,
      leaseSeconds,
      clock,
      log,
      observer: metrics,
      // The work runs until told to stop, as the daemon's controller loop does.
      onLead: (signal, fence) => {
        terms.push({ fence, signal });
        return new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
      },
      onStandby: (leader) => void standbyFor.push(leader),
    });
    const running = leadership.run();
    const made: Replica = {
      name,
      lease,
      leadership,
      metrics,
      terms,
      standbyFor,
      running,
      idle: () => watched.inFlight() === 0 && (time?.pending() ?? 1) > 0,
      logged: () =>
        text()
          .trim()
          .split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line)),
    };
    later(async () => {
      leadership.stop();
      if (time) await time.advance(0);
      await running;
      await lease.close();
    });
    return made;
  }

  function messages(r: Replica, msg: string): Array<Record<string, unknown>> {
    return r.logged().filter((line) => line.msg === msg);
  }

  it('elects one leader; the standby names it; metrics and readiness say who leads', async () => {
    const db = await database();
    const a = replica(db, 'host-a', 3);
    await until('a leads', () => a.leadership.status().role === 'leader');
    const b = replica(db, 'host-b', 3);
    await until('b names the leader', () => b.standbyFor.length > 0);

    expect(a.terms.map((term) => term.fence.epoch)).toEqual([1]);
    expect(messages(a, 'This process leads now')).toMatchObject([{ epoch: 1 }]);
    expect(b.terms).toEqual([]);
    expect(b.standbyFor[0]).toMatchObject({ hostname: 'host-a', pid: 100, epoch: 1 });
    expect(messages(b, 'Standing by: another process leads')).toMatchObject([{ leader: { host: 'host-a', pid: 100, epoch: 1 } }]);

    expect(await a.metrics.registry.getSingleMetricAsString('reconciler_leader')).toContain('reconciler_leader 1');
    expect(await a.metrics.registry.getSingleMetricAsString('reconciler_leader_changes_total')).toContain('reconciler_leader_changes_total 1');
    expect(await b.metrics.registry.getSingleMetricAsString('reconciler_leader')).toContain('reconciler_leader 0');

    expect(leadershipReadiness(a.leadership.status(), true)).toMatchObject({ ready: true, detail: { role: 'leader', leader: { host: 'host-a', pid: 100 } } });
    expect(leadershipReadiness(a.leadership.status(), false).ready).toBe(false);
    expect(leadershipReadiness(b.leadership.status(), false)).toMatchObject({
      ready: true,
      detail: { role: 'standby', leader: { host: 'host-a', pid: 100, epoch: 1 }, databaseDown: false },
    });
  });

  it('renews every third of a lease while it leads, under the same epoch', async () => {
    const db = await database();
    const time = manualTime();
    const a = replica(db, 'host-a', 3, time);
    await until('a leads', () => a.leadership.status().role === 'leader');
    for (let i = 0; i < 5; i++) {
      const before = (await history(db))[0]!.renewed_at.getTime();
      await time.advance(1_000);
      await until(`renew ${i + 1} recorded`, async () => (await history(db))[0]!.renewed_at.getTime() > before);
    }
    expect(a.lease.validForMs()).toBeGreaterThan(2_000);
    expect(a.terms).toHaveLength(1);
    expect(a.terms[0]!.signal.aborted).toBe(false);
    expect((await history(db)).map((row) => row.epoch)).toEqual(['1']);
  });

  it('a leader frozen past its lease sends nothing on resume, steps down, and a standby took over within one lease', async () => {
    const db = await database();
    const leaseSeconds = 2;
    const frozen = manualTime();
    const a = replica(db, 'host-a', leaseSeconds, frozen);
    await until('a leads', () => a.leadership.status().role === 'leader');
    const guard = guardRequests(a.lease);
    expect(() => guard({ write: true, timeoutMs: 500 })).not.toThrow();

    // a's time does not move (SIGSTOP); b runs in real time and takes the lease once it has expired.
    const b = replica(db, 'host-b', leaseSeconds);
    await until('b leads', () => b.leadership.status().role === 'leader');

    // SIGCONT: a's monotonic clock has moved past its lease while it slept.
    await frozen.advance(2_500);
    expect(() => guard({ write: true, timeoutMs: 500 })).toThrow(LeaseLostError);
    await until('a stepped down', () => a.leadership.status().role === 'standby');
    expect(a.terms[0]!.signal.aborted).toBe(true);
    expect(messages(a, 'Stepped down: this process no longer leads')).toMatchObject([{ epoch: 1, why: expect.stringContaining('ran out') }]);
    await until('a names b', () => a.standbyFor.some((leader) => leader?.hostname === 'host-b'));
    expect(await a.metrics.registry.getSingleMetricAsString('reconciler_leader')).toContain('reconciler_leader 0');

    const [first, second] = await history(db);
    // a never renewed after it froze: nothing of it reached the database after its acquire.
    expect(first).toMatchObject({ epoch: '1', holder: a.lease.holder, ended_why: 'expired' });
    expect(first!.renewed_at.getTime()).toBe(first!.acquired_at.getTime());
    expect(second).toMatchObject({ epoch: '2', holder: b.lease.holder, ended_at: null });
    expect(second!.acquired_at.getTime() - first!.expires_at.getTime()).toBeLessThanOrEqual(leaseSeconds * 1000);
    expect(b.terms.map((term) => term.fence.epoch)).toEqual([2]);
  });

  it('keeps leading across a cut session: it reconnects and renews while still in time', async () => {
    const db = await database();
    const time = manualTime();
    const a = replica(db, 'host-a', 3, time);
    await until('a leads', () => a.leadership.status().role === 'leader');
    expect(await terminateSessions(db.url)).toBeGreaterThanOrEqual(1);
    const before = (await history(db))[0]!.renewed_at.getTime();
    // A renew (and, if the cut surfaced on it, a retry a quarter period later) within the lease.
    for (let step = 0; step < 4 && (await history(db))[0]!.renewed_at.getTime() === before; step++) {
      await time.advance(1_000);
      await until('the renew answered', () => a.idle());
    }
    expect((await history(db))[0]!.renewed_at.getTime()).toBeGreaterThan(before);
    expect(a.leadership.status().role).toBe('leader');
    expect(a.terms[0]!.signal.aborted).toBe(false);
    expect(messages(a, 'Stepped down: this process no longer leads')).toEqual([]);
  });

  it('a database outage: one line when it starts, not ready, steps down in time, one line when it ends, leads again', async () => {
    const db = await database();
    const time = manualTime();
    const a = replica(db, 'host-a', 3, time);
    await until('a leads', () => a.leadership.status().role === 'leader');

    const outage = await databaseOutage(db);
    later(() => outage.close());
    await outage.begin();

    // Renews fail every quarter period until the lease runs low: then it steps down, before it could be taken.
    for (let step = 0; step < 20 && a.leadership.status().role === 'leader'; step++) {
      await time.advance(250);
      await until('the loop waits again', () => a.idle());
    }
    expect(a.leadership.status()).toMatchObject({ role: 'standby', databaseDown: true });
    expect(a.lease.validForMs()).toBe(0);
    expect(a.terms[0]!.signal.aborted).toBe(true);
    expect(messages(a, 'Stepped down: this process no longer leads')).toMatchObject([{ why: 'the database could not be reached to renew the lease' }]);
    expect(leadershipReadiness(a.leadership.status(), true)).toMatchObject({ ready: false, detail: { databaseDown: true } });

    // Standby attempts keep failing, with backoff, and log nothing more.
    for (let step = 0; step < 5; step++) {
      await time.advance(3_000);
      await until('the loop waits again', () => a.idle());
    }
    expect(messages(a, 'The database does not answer: no work and no upstream write until it does')).toHaveLength(1);

    await outage.end();
    for (let step = 0; step < 10 && a.leadership.status().role === 'standby'; step++) {
      await time.advance(3_000);
      await until('the loop waits again', () => a.idle());
    }
    expect(a.leadership.status()).toMatchObject({ role: 'leader', databaseDown: false });
    expect(messages(a, 'The database answers again')).toHaveLength(1);
    expect(a.terms.map((term) => term.fence.epoch)).toEqual([1, 2]);
    expect(await a.metrics.registry.getSingleMetricAsString('reconciler_leader_changes_total')).toContain('reconciler_leader_changes_total 2');
  });

  it('on stop, ends its work, releases the lease, and a standby takes it without waiting for expiry', async () => {
    const db = await database();
    const a = replica(db, 'host-a', 30);
    await until('a leads', () => a.leadership.status().role === 'leader');
    const time = manualTime();
    const b = replica(db, 'host-b', 30, time);
    await until('b stands by', () => b.standbyFor.length > 0 && b.idle());
    a.leadership.stop();
    await a.running;
    expect(a.terms[0]!.signal.aborted).toBe(true);
    expect(messages(a, 'Stopped leading: the lease is released for a standby')).toHaveLength(1);
    expect((await history(db))[0]).toMatchObject({ epoch: '1', ended_why: 'stopped' });
    // b tries again a third of a lease later (10 s), well before the 30 s lease would have expired.
    await time.advance(10_000);
    await until('b leads', () => b.leadership.status().role === 'leader');
    expect(b.terms.map((term) => term.fence.epoch)).toEqual([2]);
  });
});
