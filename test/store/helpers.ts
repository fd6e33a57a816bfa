import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Clock } from '../../src/clock.js';
import type { NewRunRecord } from '../../src/store/run-record.js';

export interface FakeClock extends Clock {
  /** Every wait asked for, in order. */
  readonly waits: number[];
  /** Runs at each sleep (after time moves), e.g. to let a holder go mid-wait. */
  onSleep: ((waitCount: number) => void) | null;
}

export function fakeClock(start = new Date('2025-01-05T10:00:00.000Z')): FakeClock {
  let current = start.getTime();
  const clock: FakeClock = {
    waits: [],
    onSleep: null,
    now: () => new Date(current),
    sleep(ms) {
      clock.waits.push(ms);
      current += ms;
      clock.onSleep?.(clock.waits.length);
      return Promise.resolve();
    },
  };
  return clock;
}

/** A fresh temp directory; the db path sits in a subdirectory that does not exist yet. */
export function tempDb(): { path: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'reconciler-store-'));
  return { path: join(dir, 'data', 'reconciler.db'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A raw connection for arranging or inspecting a file the way another process would. */
export function raw<T>(path: string, use: (db: Database.Database) => T): T {
  const db = new Database(path);
  try {
    return use(db);
  } finally {
    db.close();
  }
}

export function newRun(overrides: Partial<NewRunRecord> = {}): NewRunRecord {
  return {
    jiraIssueKey: 'SCR-12',
    requestId: '10001',
    source: 'alfabeta',
    runType: 'DELTA',
    environment: 'dev',
    params: '{"since":"2025-01-01"}',
    airflowDagId: 'scraper_alfabeta',
    airflowDagRunId: null,
    state: 'pending',
    ...overrides,
  };
}
