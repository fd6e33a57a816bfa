import type { Fence } from '../../lease/lease-table.js';

/** A store write refused because this process no longer holds the leader's lease; nothing was written. */
export class FencedWriteError extends Error {
  override readonly name = 'FencedWriteError';
  constructor(readonly fence: Fence | null) {
    super(
      fence === null
        ? 'This process holds no leader lease: the state write was refused and nothing was written. Only the leader writes.'
        : `The lease of epoch ${fence.epoch} was lost: this process no longer leads, so the state write was refused and ` +
            'nothing was written. The current leader carries on.',
    );
  }
}
