import { existsSync, renameSync } from 'node:fs';

export interface MovedAside {
  /** Where the state file was. */
  from: string;
  /** Where it is now; its -wal and -shm, when there were any, sit beside it with the same suffixes. */
  to: string;
  /** Why it was moved: what SQLite or quick_check said. */
  reason: string;
}

/**
 * Renames a damaged state file to `<path>.corrupt-<UTC time>` with its -wal and -shm, keeping it for a
 * post-mortem. The -wal and -shm go first: a stale -wal left beside a fresh file would be replayed into it.
 */
export function moveAside(path: string, now: Date, reason: string): MovedAside {
  const to = freeName(`${path}.corrupt-${stamp(now)}`);
  for (const suffix of ['-shm', '-wal']) {
    if (existsSync(path + suffix)) renameSync(path + suffix, to + suffix);
  }
  renameSync(path, to);
  return { from: path, to, reason };
}

/** `2025-01-05T10:00:00.123Z` → `20250105T100000123Z`: sortable, and legal in every file system. */
function stamp(now: Date): string {
  return now.toISOString().replace(/[-:.]/g, '');
}

function freeName(base: string): string {
  let name = base;
  for (let n = 2; existsSync(name) || existsSync(`${name}-wal`); n += 1) name = `${base}-${n}`;
  return name;
}
