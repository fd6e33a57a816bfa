import type { Cursor } from '../cursor-repo.js';
import type { Queryable } from './queryable.js';

export async function getCursor(sql: Queryable): Promise<Cursor> {
  const { rows } = await sql.query<{ updated_since: Date | null; pass_count: string }>(
    'SELECT updated_since, pass_count FROM cursor WHERE id = 1',
  );
  const row = rows[0];
  if (!row) return { updatedSince: null, passCount: 0 };
  return { updatedSince: row.updated_since, passCount: Number(row.pass_count) };
}

export async function setCursor(sql: Queryable, cursor: Cursor): Promise<void> {
  if (cursor.updatedSince !== null && Number.isNaN(cursor.updatedSince.getTime())) {
    throw new RangeError('The search cursor must be a valid date or null, got an invalid Date.');
  }
  await sql.query(
    `INSERT INTO cursor (id, updated_since, pass_count) VALUES (1, $1, $2)
     ON CONFLICT (id) DO UPDATE SET updated_since = excluded.updated_since, pass_count = excluded.pass_count`,
    [cursor.updatedSince?.toISOString() ?? null, cursor.passCount],
  );
}
