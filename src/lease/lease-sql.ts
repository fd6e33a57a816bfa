/**
 * The lease's statements, one round trip each. Times are the database's (`now()`), so hosts whose clocks
 * disagree still agree on who leads. $5 is the lease in seconds.
 */
const ROW = `epoch, holder, hostname, pid, command, acquired_at, renewed_at, expires_at`;
/** How long the lease had left when the statement ran, by the database's clock: a standby aims its next try at the end. */
const REMAINING = `GREATEST(0, EXTRACT(EPOCH FROM expires_at - now()) * 1000)::float8 AS remaining_ms`;

/**
 * Takes the lease when there is none, when it has expired, or when it is this holder's own (an acquire
 * whose answer was lost): always under a new epoch, so nothing sent under an older one can pass a fence.
 * Two contenders at once: the second one's ON CONFLICT waits for the first and then sees a live lease.
 * The previous epoch's history row is closed; when nothing was taken, the lease as it stood is returned.
 */
export const ACQUIRE_SQL = `
  WITH taken AS (
    INSERT INTO leader_lease AS l (id, ${ROW})
    VALUES (1, COALESCE((SELECT max(epoch) FROM leader_history), 0) + 1, $1, $2, $3, $4, now(), now(), now() + make_interval(secs => $5))
    ON CONFLICT (id) DO UPDATE
      SET epoch = GREATEST(l.epoch, (SELECT COALESCE(max(epoch), 0) FROM leader_history)) + 1,
          holder = EXCLUDED.holder, hostname = EXCLUDED.hostname, pid = EXCLUDED.pid, command = EXCLUDED.command,
          acquired_at = now(), renewed_at = now(), expires_at = now() + make_interval(secs => $5)
      WHERE l.expires_at <= now() OR l.holder = EXCLUDED.holder
    RETURNING ${ROW}
  ), ended AS (
    UPDATE leader_history h
       SET ended_at = LEAST(h.expires_at, now()),
           ended_why = CASE WHEN h.expires_at <= now() THEN 'expired' ELSE 'taken again by its own holder' END
      FROM taken
     WHERE h.epoch < taken.epoch AND h.ended_at IS NULL
  ), recorded AS (
    INSERT INTO leader_history (${ROW}) SELECT ${ROW} FROM taken
  )
  SELECT true AS mine, ${ROW}, true AS live, ${REMAINING} FROM taken
  UNION ALL
  SELECT false AS mine, ${ROW}, expires_at > now() AS live, ${REMAINING} FROM leader_lease WHERE id = 1 AND NOT EXISTS (SELECT 1 FROM taken)
`;

/** Extends the lease only while it is still this holder's, under this epoch, and not expired. */
export const RENEW_SQL = `
  WITH renewed AS (
    UPDATE leader_lease SET renewed_at = now(), expires_at = now() + make_interval(secs => $3)
     WHERE id = 1 AND holder = $1 AND epoch = $2 AND expires_at > now()
    RETURNING ${ROW}
  ), recorded AS (
    UPDATE leader_history h SET renewed_at = renewed.renewed_at, expires_at = renewed.expires_at
      FROM renewed WHERE h.epoch = renewed.epoch
  )
  SELECT ${ROW}, true AS live, ${REMAINING} FROM renewed
`;

/** Ends the lease at once (a graceful stop), so a standby need not wait for it to expire. */
export const RELEASE_SQL = `
  WITH released AS (
    UPDATE leader_lease SET expires_at = LEAST(expires_at, now())
     WHERE id = 1 AND holder = $1 AND epoch = $2
    RETURNING epoch
  )
  UPDATE leader_history h SET ended_at = now(), ended_why = $3, expires_at = LEAST(h.expires_at, now())
    FROM released WHERE h.epoch = released.epoch AND h.ended_at IS NULL
`;

export const READ_SQL = `SELECT ${ROW}, expires_at > now() AS live, ${REMAINING} FROM leader_lease WHERE id = 1`;
