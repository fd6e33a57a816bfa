import { LeaseLostError } from './lease-lost-error.js';
import type { Lease } from './lease-port.js';

/** Checked right before an upstream write goes out: throws unless the lease outlasts the request. */
export type WriteGuard = (timeoutMs: number) => void;

/**
 * No Jira or Airflow write is sent unless this process's lease is known valid for longer than the
 * request's timeout: a write still on the wire when the lease could be taken would race the next leader.
 */
export function guardWrites(lease: Pick<Lease, 'validForMs'>, leaseSeconds?: number): WriteGuard {
  return (timeoutMs) => {
    const validMs = lease.validForMs();
    if (validMs > timeoutMs) return;
    if (validMs <= 0) {
      throw new LeaseLostError('write not sent: this process does not hold the leader lease (a standby, or it stepped down); the leader does the write');
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
