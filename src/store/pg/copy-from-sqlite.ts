import { existsSync } from 'node:fs';
import { systemClock } from '../../clock.js';
import { openStore } from '../sqlite-store.js';
import type { ImportCounts, StateSnapshot } from './pg-import.js';
import { openPgStore } from './pg-store.js';

export interface CopyResult extends ImportCounts {
  /** The copied cursor's pass counter (the search cursor travels with the records). */
  passCount: number;
  /** Where the copy went, the password hidden. */
  to: string;
}

/**
 * `state copy`: reads the SQLite file without its lock and without writing (a daemon may still be
 * running on it: stop it first so nothing changes after the copy), and writes everything into the
 * PostgreSQL database in one transaction, migrating it first.
 */
export async function copySqliteToPg(from: string, to: string, options: { force: boolean }): Promise<CopyResult> {
  if (!existsSync(from)) {
    throw new Error(`There is no SQLite state file at ${from}: check --from (the reconciler's RECONCILER_DB, ./data/reconciler.db by default).`);
  }
  const source = await openStore(from, { clock: systemClock, command: 'state copy', lockWaitMs: 0, readOnly: true });
  let snapshot: StateSnapshot;
  try {
    snapshot = { runs: source.list(), outbox: source.outbox.list(), cursor: source.getCursor() };
  } finally {
    source.close();
  }
  const target = await openPgStore(to, { command: 'state copy' });
  try {
    const counts = await target.importSnapshot(snapshot, options);
    return { ...counts, passCount: snapshot.cursor.passCount, to: target.describe() };
  } finally {
    await target.close();
  }
}
