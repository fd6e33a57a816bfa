import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import { DatabaseOutage } from './database-outage.js';
import type { CurrentLease, Lease } from './lease-port.js';
import type { Fence } from './lease-table.js';

/** Told when this process starts and stops leading (the `reconciler_leader` metrics). */
export interface LeadershipObserver {
  leading(on: boolean): void;
}

export interface LeadershipOptions {
  lease: Lease;
  leaseSeconds: number;
  clock: Clock;
  log: Logger;
  observer?: LeadershipObserver;
  /**
   * This process leads: start the work. The signal aborts when it steps down or stops; the work must stop
   * within seconds. A returned promise is the work's end: the process does not lead again before it.
   */
  onLead(signal: AbortSignal, fence: Fence, lease: CurrentLease): void | Promise<void>;
  /** This process stands by; `leader` is who leads (null: no one, as far as the last attempt saw). */
  onStandby?(leader: CurrentLease | null): void;
  /** Below this much local validity a leader that could not renew steps down; by default a fifth of the lease, at least 500 ms. */
  marginMs?: number;
}

export type Role = 'leader' | 'standby';

/** How long after a lease's end (by the database's clock) a standby tries to take it; doubled at most by jitter. */
const AIM_AFTER_END_MS = 25;

export interface LeadershipStatus {
  role: Role;
  /** Who leads as last seen: this process while it leads. */
  leader: CurrentLease | null;
  databaseDown: boolean;
  databaseDownSince: Date | null;
}

/**
 * One leader among replicas. A standby tries to take the lease every third of a lease (with jitter); the
 * leader renews it as often. A leader that cannot renew before its local validity falls below the margin
 * steps down: the work's signal aborts, before any other process can take the lease. A database outage
 * pauses everything (one log line when it starts, one when it ends) and is retried with backoff.
 */
export class Leadership {
  private readonly outage: DatabaseOutage;
  private readonly leaseMs: number;
  private readonly marginMs: number;
  private readonly stopper = new AbortController();
  private current: CurrentLease | null = null;
  private leading = false;
  private work: { controller: AbortController; done: Promise<void> } | null = null;
  private previousWork: Promise<void> = Promise.resolve();
  private standbyFailures = 0;
  private renewIn = 0;
  private lastNamed: string | null = null;

  constructor(private readonly options: LeadershipOptions) {
    this.leaseMs = options.leaseSeconds * 1000;
    this.marginMs = options.marginMs ?? Math.max(500, this.leaseMs / 5);
    this.outage = new DatabaseOutage(options.clock, options.log);
  }

  status(): LeadershipStatus {
    return {
      role: this.leading ? 'leader' : 'standby',
      leader: this.current,
      databaseDown: this.outage.down,
      databaseDownSince: this.outage.since,
    };
  }

  /** Runs until stop(): then the work is aborted and awaited and the lease released. */
  async run(): Promise<void> {
    try {
      while (!this.stopper.signal.aborted) {
        if (this.leading) await this.leadTurn();
        else await this.standbyTurn();
      }
    } finally {
      await this.finish();
    }
  }

  stop(): void {
    this.stopper.abort();
  }

  private get period(): number {
    return this.leaseMs / 3;
  }

  private async standbyTurn(): Promise<void> {
    // The work of an earlier term must have ended before this process may lead again.
    await this.previousWork;
    if (this.stopper.signal.aborted) return;
    let endsInMs: number | undefined;
    try {
      const result = await this.options.lease.acquire();
      this.outage.answered();
      this.standbyFailures = 0;
      if (result.held) return this.becomeLeader(result.lease);
      this.seeLeader(result.leader);
      endsInMs = result.leader?.live ? result.leader.remainingMs : undefined;
    } catch (error) {
      this.outage.failed(error);
      this.standbyFailures++;
    }
    const random = this.options.clock.random?.() ?? 0;
    const backoff = Math.min(this.leaseMs, this.period * 2 ** this.standbyFailures) * (1 + 0.25 * random);
    // A leader that renews keeps more than a period left, so this changes nothing while it lives; one that
    // stopped renewing is replaced right after its lease ends, not up to a period later.
    const aimed = endsInMs === undefined ? backoff : Math.min(backoff, endsInMs + AIM_AFTER_END_MS * (1 + random));
    await this.sleep(aimed);
  }

  private async leadTurn(): Promise<void> {
    const { lease } = this.options;
    await this.sleep(Math.min(this.renewIn, lease.validForMs() - this.marginMs));
    if (this.stopper.signal.aborted || !this.leading) return;
    if (lease.validForMs() < this.marginMs) {
      return this.stepDown(
        this.outage.down ? 'the database could not be reached to renew the lease' : 'its lease ran out before it was renewed (the process was paused)',
      );
    }
    try {
      const outcome = await this.beforeMargin(lease.renew());
      if (outcome === 'late') return this.stepDown('the database did not answer the renew before the lease ran low');
      this.outage.answered();
      if (!outcome.renewed) return this.stepDown('its lease was taken over or had expired');
      this.current = outcome.lease;
      this.renewIn = this.period;
    } catch (error) {
      this.outage.failed(error);
      // Try again soon, while the lease still holds.
      this.renewIn = this.period / 4;
    }
  }

  /** The renew's answer, or 'late' when local validity falls below the margin first. */
  private async beforeMargin<T>(call: Promise<T>): Promise<T | 'late'> {
    const timer = new AbortController();
    const late = this.options.clock.sleep(Math.max(0, this.options.lease.validForMs() - this.marginMs), timer.signal).then(() => 'late' as const);
    try {
      return await Promise.race([call, late]);
    } finally {
      timer.abort();
      call.catch(() => undefined);
    }
  }

  private becomeLeader(lease: CurrentLease): void {
    const fence: Fence = { holder: lease.holder, epoch: lease.epoch };
    this.leading = true;
    this.current = lease;
    this.renewIn = this.period;
    this.lastNamed = null;
    this.options.observer?.leading(true);
    this.options.log.info({ epoch: lease.epoch, since: lease.acquiredAt.toISOString(), holder: lease.holder }, 'This process leads now');
    const controller = new AbortController();
    // Stopped while the acquire was under way: no work starts, and finish() releases the lease.
    if (this.stopper.signal.aborted) return;
    const done = Promise.resolve()
      .then(() => this.options.onLead(controller.signal, fence, lease))
      .catch((error: unknown) => this.options.log.error({ err: error }, 'The leader work failed'));
    this.work = { controller, done };
  }

  private stepDown(why: string): void {
    const epoch = this.current?.epoch;
    this.leading = false;
    this.options.lease.forget();
    this.endWork();
    this.options.observer?.leading(false);
    this.options.log.warn({ epoch, why }, 'Stepped down: this process no longer leads');
    this.current = null;
    this.options.onStandby?.(null);
  }

  private endWork(): void {
    if (!this.work) return;
    this.work.controller.abort();
    this.previousWork = this.work.done;
    this.work = null;
  }

  private seeLeader(leader: CurrentLease | null): void {
    const live = leader?.live ? leader : null;
    this.current = live;
    const named = live ? `${live.holder}#${live.epoch}` : null;
    if (named === this.lastNamed) return;
    this.lastNamed = named;
    if (live) {
      this.options.log.info(
        { leader: { host: live.hostname, pid: live.pid, since: live.acquiredAt.toISOString(), epoch: live.epoch } },
        'Standing by: another process leads',
      );
    } else {
      this.options.log.info('Standing by: no process leads right now');
    }
    this.options.onStandby?.(live);
  }

  private async finish(): Promise<void> {
    if (!this.leading) {
      await this.previousWork;
      return;
    }
    const epoch = this.current?.epoch;
    this.leading = false;
    this.endWork();
    await this.previousWork;
    this.options.observer?.leading(false);
    try {
      await this.options.lease.release('stopped');
      this.options.log.info({ epoch }, 'Stopped leading: the lease is released for a standby');
    } catch (error) {
      this.options.log.warn({ err: error, epoch }, 'Stopped leading; the lease could not be released and expires by itself');
    }
    this.current = null;
  }

  private sleep(ms: number): Promise<void> {
    return this.options.clock.sleep(Math.max(0, ms), this.stopper.signal);
  }
}
