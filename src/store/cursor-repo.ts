import type { Db } from './connection.js';

export interface Cursor {
  updatedSince: Date | null;
  passCount: number;
}

export function getCursor(db: Db): Cursor {
  const row = db
    .prepare<[], { updated_since: string | null; pass_count: number }>(
      'SELECT updated_since, pass_count FROM cursor WHERE id = 1',
    )
    .get();
  if (!row) return { updatedSince: null, passCount: 0 };
  return { updatedSince: row.updated_since === null ? null : new Date(row.updated_since), passCount: row.pass_count };
}

export function setCursor(db: Db, cursor: Cursor): void {
  if (cursor.updatedSince !== null && Number.isNaN(cursor.updatedSince.getTime())) {
    throw new RangeError('The search cursor must be a valid date or null, got an invalid Date.');
  }
  db.prepare(
    `INSERT INTO cursor (id, updated_since, pass_count) VALUES (1, ?, ?)
     ON CONFLICT (id) DO UPDATE SET updated_since = excluded.updated_since, pass_count = excluded.pass_count`,
  ).run(cursor.updatedSince?.toISOString() ?? null, cursor.passCount);
}
