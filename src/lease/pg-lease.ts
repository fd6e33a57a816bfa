import pg from 'pg';
import { holderIdentity, type HolderIdentity } from './holder-id.js';
import type { AcquireResult, CurrentLease, Lease, RenewResult } from './lease-port.js';
import { ACQUIRE_SQL, READ_SQL, RELEASE_SQL, RENEW_SQL } from './lease-sql.js';
import type { Fence } from './lease-table.js';

export interface PgLeaseOptions {
  /** How to reach the database (connectionString, ssl: as the PostgreSQL store builds it); pool sizes and timeouts are the lease's own. */
  connection: Pick<pg.PoolConfig, 'connectionString' | 'ssl' | 'host' | 'port' | 'user' | 'password' | 'database'>;
  leaseSeconds: number;
  identity?: HolderIdentity;
  /** Milliseconds of a clock that never jumps (performance.now); tests drive it. */
  monotonicMs?: () => number;
  /** Wall-clock milliseconds (Date.now): a second bound, as the monotonic clock stands still while a host sleeps. */
  wallMs?: () => number;
  /** Connect and statement timeout; by default a third of the lease, at most 5 s. */
  timeoutMs?: number;
}

interface LeaseRecord {
  mine?: boolean;
  epoch: string;
  holder: string;
  hostname: string;
  pid: number;
  command: string;
  acquired_at: Date;
  renewed_at: Date;
  expires_at: Date;
  live: boolean;
  remaining_ms: number;
}

/**
 * The leader lease on PostgreSQL (row 1 of `leader_lease`), on a connection of its own: a one-client pool
 * that drops a cut session and connects again on the next call. The process trusts its lease only until
 * the monotonic time at which the successful acquire or renew was SENT plus the lease (and as long by the
 * wall clock): the database set the expiry no earlier than that, so a pause of this process (GC, SIGSTOP,
 * a suspended host) only shortens what it trusts.
 */
export class PgLease implements Lease {
  readonly holder: string;
  private readonly identity: HolderIdentity;
  private readonly pool: pg.Pool;
  private readonly leaseMs: number;
  private readonly monotonic: () => number;
  private readonly wall: () => number;
  private held: { epoch: number; validUntil: number; wallValidUntil: number } | null = null;

  constructor(options: PgLeaseOptions) {
    if (!(options.leaseSeconds > 0)) throw new Error(`ha.leaseSeconds must be a positive number of seconds, got ${options.leaseSeconds}`);
    this.identity = options.identity ?? holderIdentity();
    this.holder = this.identity.holder;
    this.leaseMs = options.leaseSeconds * 1000;
    this.monotonic = options.monotonicMs ?? (() => performance.now());
    this.wall = options.wallMs ?? (() => Date.now());
    const timeoutMs = Math.round(options.timeoutMs ?? Math.min(5_000, this.leaseMs / 3));
    this.pool = new pg.Pool({
      ...options.connection,
      max: 1,
      connectionTimeoutMillis: timeoutMs,
      query_timeout: timeoutMs,
      statement_timeout: timeoutMs,
      idle_in_transaction_session_timeout: timeoutMs,
      keepAlive: true,
      application_name: `jira-airflow-reconciler lease pid ${this.identity.pid}`,
    });
    // A session cut while idle (pg_terminate_backend, a restart) is dropped from the pool; the next call reconnects.
    this.pool.on('error', () => undefined);
  }

  async acquire(): Promise<AcquireResult> {
    const { holder, hostname, pid, command } = this.identity;
    const sentAt = this.monotonic();
    const wallSentAt = this.wall();
    const { rows } = await this.pool.query<LeaseRecord>(ACQUIRE_SQL, [holder, hostname, pid, command, this.leaseMs / 1000]);
    const row = rows[0];
    if (row?.mine) {
      const lease = toLease(row);
      this.held = { epoch: lease.epoch, validUntil: sentAt + this.leaseMs, wallValidUntil: wallSentAt + this.leaseMs };
      return { held: true, lease };
    }
    this.held = null;
    // Lost a race: this statement's snapshot predates the winner's row, which a new statement sees.
    if (!row?.live) return { held: false, leader: await this.read() };
    return { held: false, leader: toLease(row) };
  }

  async renew(): Promise<RenewResult> {
    const held = this.held;
    if (!held) return { renewed: false };
    const sentAt = this.monotonic();
    const wallSentAt = this.wall();
    const { rows } = await this.pool.query<LeaseRecord>(RENEW_SQL, [this.holder, held.epoch, this.leaseMs / 1000]);
    const row = rows[0];
    if (!row) {
      this.held = null;
      return { renewed: false };
    }
    // An older renew answered late must not shorten what a newer one granted.
    if (this.held === held) {
      held.validUntil = Math.max(held.validUntil, sentAt + this.leaseMs);
      held.wallValidUntil = Math.max(held.wallValidUntil, wallSentAt + this.leaseMs);
    }
    return { renewed: true, lease: toLease(row) };
  }

  async release(why: string): Promise<void> {
    const held = this.held;
    this.held = null;
    if (held) await this.pool.query(RELEASE_SQL, [this.holder, held.epoch, why]);
  }

  async read(): Promise<CurrentLease | null> {
    const { rows } = await this.pool.query<LeaseRecord>(READ_SQL);
    return rows[0] ? toLease(rows[0]) : null;
  }

  validForMs(): number {
    if (!this.held) return 0;
    // Whichever clock says more time has passed wins: a wall clock set back cannot lengthen the lease, nor a host's sleep.
    return Math.max(0, Math.min(this.held.validUntil - this.monotonic(), this.held.wallValidUntil - this.wall()));
  }

  fence(): Fence | null {
    return this.held && this.validForMs() > 0 ? { holder: this.holder, epoch: this.held.epoch } : null;
  }

  /** Forgets the lease locally without a round trip: leadership stepped down. */
  forget(): void {
    this.held = null;
  }

  async close(): Promise<void> {
    this.held = null;
    await this.pool.end();
  }
}

function toLease(row: LeaseRecord): CurrentLease {
  return {
    epoch: Number(row.epoch),
    holder: row.holder,
    hostname: row.hostname,
    pid: row.pid,
    command: row.command,
    acquiredAt: row.acquired_at,
    renewedAt: row.renewed_at,
    expiresAt: row.expires_at,
    live: row.live,
    remainingMs: row.remaining_ms,
  };
}
