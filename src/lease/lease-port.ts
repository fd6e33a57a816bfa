import type { Fence, LeaseRow } from './lease-table.js';

/** The lease as read, with whether it is still live by the database's clock. */
export interface CurrentLease extends LeaseRow {
  live: boolean;
  /** How long it had left when it was read, by the database's clock (0 once expired); absent when not known. */
  remainingMs?: number;
}

/** What an acquire attempt found: the lease is now this process's, or someone else's (or no one's). */
export type AcquireResult = { held: true; lease: CurrentLease } | { held: false; leader: CurrentLease | null };

/** What a renew found: extended, or no longer this process's (taken over, released or expired). */
export type RenewResult = { renewed: true; lease: CurrentLease } | { renewed: false };

/**
 * The leader lease as leadership and the write guard see it. Every call that reaches the database may
 * throw when it cannot be reached; the lease's local validity then keeps running down.
 */
export interface Lease {
  readonly holder: string;
  acquire(): Promise<AcquireResult>;
  renew(): Promise<RenewResult>;
  /** Ends this process's lease at once (a graceful stop); the history says why. */
  release(why: string): Promise<void>;
  read(): Promise<CurrentLease | null>;
  /** How much longer, by this process's monotonic clock, the lease is known valid (0 when not held). */
  validForMs(): number;
  /** The epoch store writes carry while the lease is held, or null. */
  fence(): Fence | null;
  /** Drops the lease locally, without a round trip: this process stepped down and trusts it no more. */
  forget(): void;
  close(): Promise<void>;
}
