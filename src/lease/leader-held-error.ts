import { LockHeldError } from '../store/run-store.js';
import type { CurrentLease } from './lease-port.js';

/**
 * A one-shot writer (`reconcile`) found another process leading the PostgreSQL state: refused and
 * named, as SQLite's single-writer lock refuses a second writer (CONTRACT §1).
 */
export class LeaderHeldError extends LockHeldError {
  constructor(command: string, leader: CurrentLease | null) {
    super(
      'the PostgreSQL state database',
      leader
        ? { pid: leader.pid, hostname: leader.hostname, command: leader.command, startedAt: leader.acquiredAt.toISOString() }
        : { pid: 0, hostname: 'unknown', command: 'another process', startedAt: new Date().toISOString() },
    );
    this.message = `${command}: ${this.message}`;
  }
}
