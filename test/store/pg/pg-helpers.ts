import pg from 'pg';

/** Runs SQL on the database as another client would (a DBA, another host's lease code). */
export async function sqlOn<T extends pg.QueryResultRow = pg.QueryResultRow>(url: string, text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

/** Makes `holder` the leader under `epoch`, its lease ending `seconds` from the database's now (negative: ended). */
export async function setLease(url: string, holder: string, epoch: number, seconds: number): Promise<void> {
  await sqlOn(
    url,
    `INSERT INTO leader_lease (id, epoch, holder, hostname, pid, command, acquired_at, renewed_at, expires_at)
     VALUES (1, $1, $2, 'host-a', 4242, 'daemon', now(), now(), now() + make_interval(secs => $3))
     ON CONFLICT (id) DO UPDATE SET epoch = excluded.epoch, holder = excluded.holder, expires_at = excluded.expires_at`,
    [epoch, holder, seconds],
  );
}
