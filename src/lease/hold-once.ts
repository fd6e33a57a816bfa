import type { Clock } from '../clock.js';
import { LeaderHeldError } from './leader-held-error.js';
import type { Lease } from './lease-port.js';
import type { Fence } from './lease-table.js';

/** How often a one-shot command asks again for a lease another process holds, while it may wait. */
export const LEASE_RETRY_MS = 250;

/**
 * A one-shot command takes the lease once; a live leader refuses it, named, as SQLite's lock does. It
 * waits up to `waitMs` first, asking every LEASE_RETRY_MS (CONTRACT §1): a daemon just stopping gives
 * its lease back, and the command then runs instead of failing.
 */
export async function holdLeaseOnce(lease: Pick<Lease, 'acquire'>, command: string, clock: Clock, waitMs: number): Promise<Fence> {
  const deadline = clock.now().getTime() + waitMs;
  for (;;) {
    const result = await lease.acquire();
    if (result.held) return { holder: result.lease.holder, epoch: result.lease.epoch };
    if (clock.now().getTime() >= deadline) throw new LeaderHeldError(command, result.leader);
    await clock.sleep(Math.min(LEASE_RETRY_MS, Math.max(0, deadline - clock.now().getTime())));
  }
}
