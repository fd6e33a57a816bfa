import type { LeadershipStatus, Role } from '../lease/leadership.js';

/** Ready only while the last pass succeeded, at most three intervals ago (CONTRACT §5). */
export function isReady(lastSuccess: Date | null, now: Date, intervalMs: number, lastPassFailed = false): boolean {
  if (!lastSuccess || lastPassFailed) return false;
  return now.getTime() - lastSuccess.getTime() <= 3 * intervalMs;
}

/** What /readyz adds when several replicas share a PostgreSQL database (CONTRACT §7). */
export interface LeadershipReadiness {
  ready: boolean;
  detail: {
    role: Role;
    leader: { host: string; pid: number; since: string; epoch: number } | null;
    databaseDown: boolean;
    databaseDownSince?: string;
  };
}

/**
 * A replica is not ready while its database does not answer; a standby is ready (it stands by, as it
 * should); the leader is ready as a single daemon is, by its passes (`passReady`, from isReady).
 */
export function leadershipReadiness(status: LeadershipStatus, passReady: boolean): LeadershipReadiness {
  const leader = status.leader;
  return {
    ready: !status.databaseDown && (status.role === 'standby' || passReady),
    detail: {
      role: status.role,
      leader: leader ? { host: leader.hostname, pid: leader.pid, since: leader.acquiredAt.toISOString(), epoch: leader.epoch } : null,
      databaseDown: status.databaseDown,
      ...(status.databaseDownSince ? { databaseDownSince: status.databaseDownSince.toISOString() } : {}),
    },
  };
}
