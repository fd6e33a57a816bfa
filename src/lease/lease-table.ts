/**
 * The leader lease's tables on PostgreSQL, created by the PostgreSQL store's first migration. One row
 * in `leader_lease` (id 1) says who leads, under which epoch, until when; its times are the database's
 * clock (`now()`), so replicas on hosts whose clocks disagree still agree on who leads. Every epoch ever
 * granted stays in `leader_history` with the span it was valid for: the failover tests compare who sent
 * what upstream with it, and `doctor` shows who leads and since when.
 *
 * Fencing: a store write runs in a transaction that first reads this row FOR SHARE and goes on only if
 * the row still names the writer's holder and epoch and has not expired; a takeover updates the row, so
 * it waits for such a write to commit and every later write of the old epoch is refused.
 */
export const LEASE_TABLES_SQL = `
  CREATE TABLE leader_lease (
    id SMALLINT PRIMARY KEY CHECK (id = 1),
    epoch BIGINT NOT NULL,
    holder TEXT NOT NULL,
    hostname TEXT NOT NULL,
    pid INTEGER NOT NULL,
    command TEXT NOT NULL,
    acquired_at TIMESTAMPTZ NOT NULL,
    renewed_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
  );
  CREATE TABLE leader_history (
    epoch BIGINT PRIMARY KEY,
    holder TEXT NOT NULL,
    hostname TEXT NOT NULL,
    pid INTEGER NOT NULL,
    command TEXT NOT NULL,
    acquired_at TIMESTAMPTZ NOT NULL,
    renewed_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    ended_at TIMESTAMPTZ,
    ended_why TEXT
  );
`;

/** A lease as read from `leader_lease`; times are the database's. */
export interface LeaseRow {
  epoch: number;
  /** `<hostname>:<pid>:<random>`: one process, one life. */
  holder: string;
  hostname: string;
  pid: number;
  command: string;
  acquiredAt: Date;
  renewedAt: Date;
  expiresAt: Date;
}

/** What a fenced store write checks: this holder's lease, this epoch, not expired. */
export interface Fence {
  holder: string;
  epoch: number;
}
