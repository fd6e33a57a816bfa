import type { Fence } from '../../lease/lease-table.js';
import { FencedWriteError } from './fenced-write-error.js';
import type { Queryable } from './queryable.js';

/**
 * The first statement of a fenced write's transaction. FOR SHARE holds the lease row until the write
 * commits, so a takeover (an UPDATE of that row) waits for it, and every write after it fails here.
 */
export async function checkFence(sql: Queryable, fence: Fence | null): Promise<void> {
  if (fence === null) throw new FencedWriteError(null);
  const { rowCount } = await sql.query(
    'SELECT epoch, holder FROM leader_lease WHERE id = 1 AND holder = $1 AND epoch = $2 AND expires_at > now() FOR SHARE',
    [fence.holder, fence.epoch],
  );
  if (!rowCount) throw new FencedWriteError(fence);
}
