import { LeaseLostError } from './lease-lost-error.js';
import type { Lease } from './lease-port.js';

/** What the guard is asked about a request about to go out. */
export interface GuardedRequest {
  /** Not a GET or HEAD (and not one of the reads sent as POST). */
  write: boolean;
  /** The request's timeout; Infinity when it has none. */
  timeoutMs: number;
}

/** Checked right before an upstream request goes out: throws unless the lease allows it. */
export type LeaseGuard = (request: GuardedRequest) => void;

/**
 * No Jira or Airflow write is sent unless this process's lease is known valid for longer than the
 * request's timeout: a write still on the wire when the lease could be taken would race the next leader.
 * A read needs the lease valid now: a leader frozen past its lease and resumed sends nothing more,
 * not even the reads its interrupted pass was about to make.
 */
export function guardRequests(lease: Pick<Lease, 'validForMs'>, leaseSeconds?: number): LeaseGuard {
  return ({ write, timeoutMs }) => {
    const validMs = lease.validForMs();
    if (validMs > (write ? timeoutMs : 0)) return;
    if (validMs <= 0) {
      throw new LeaseLostError(
        write
          ? 'write not sent: this process does not hold the leader lease (a standby, or it stepped down); the leader does the write'
          : 'read not sent: this process does not hold the leader lease (a standby, or it stepped down); the leader does the work',
      );
    }
    const hint =
      leaseSeconds !== undefined && timeoutMs > maxWriteTimeoutMs(leaseSeconds)
        ? `; a request timeout of ${timeoutMs} ms can never fit a ${leaseSeconds} s lease: lower http.timeoutMs below ${maxWriteTimeoutMs(leaseSeconds)} ms or raise ha.leaseSeconds`
        : '';
    throw new LeaseLostError(
      `write not sent: the leader lease is known valid for ${Math.round(validMs)} ms more, not longer than the request's timeout of ${timeoutMs} ms${hint}`,
    );
  };
}

/**
 * The longest request timeout a leader can always send with: renewed every third of a lease, its lease is
 * known valid for at least two thirds of it, less a round trip (a tenth of the lease is allowed for it).
 */
export function maxWriteTimeoutMs(leaseSeconds: number): number {
  return Math.floor(leaseSeconds * 1000 * (2 / 3 - 1 / 10));
}
