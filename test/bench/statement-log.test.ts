import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { addRoundTrips, countRoundTrips, openStatementLog } from '../../src/bench/statement-log.js';

const STORE = 'jira-airflow-reconciler reconcile pid 4242';
const LEASE = 'jira-airflow-reconciler lease pid 4242';

/** Lines as the bench cluster writes them (log_line_prefix 'rt|%d|%a|', log_statement = all, log_connections = on). */
const LOG = [
  'rt|||LOG:  connection received: host=127.0.0.1 port=51234',
  `rt|bench_a|${STORE}|LOG:  connection authorized: user=reconciler database=bench_a application_name=${STORE}`,
  `rt|bench_a|${STORE}|LOG:  statement: BEGIN`,
  `rt|bench_a|${STORE}|LOG:  execute <unnamed>: INSERT INTO cursor (id, updated_since, pass_count) VALUES (1, $1, $2)`,
  '\t     ON CONFLICT (id) DO UPDATE SET updated_since = excluded.updated_since',
  `rt|bench_a|${STORE}|DETAIL:  parameters: $1 = '2026-12-07 21:57:39.798+00', $2 = '1'`,
  `rt|bench_a|${STORE}|LOG:  statement: COMMIT`,
  `rt|bench_a|${STORE}|LOG:  statement: SELECT id, jira_issue_key FROM runs`,
  '\t  WHERE state NOT IN (\'success\')',
  `rt|bench_a|${LEASE}|LOG:  connection authorized: user=reconciler database=bench_a application_name=${LEASE}`,
  `rt|bench_a|${LEASE}|LOG:  execute <unnamed>: INSERT INTO leader_lease (id, holder) VALUES (1, $1)`,
  `rt|bench_a|${LEASE}|LOG:  execute <unnamed>: DELETE FROM leader_lease WHERE holder = $1`,
  `rt|bench_a|${STORE}|ERROR:  duplicate key value violates unique constraint "runs_pkey"`,
  `rt|bench_a|${STORE}|STATEMENT:  INSERT INTO runs (id) VALUES (1)`,
  `rt|bench_b|${STORE}|LOG:  statement: SELECT 1`,
  `rt|postgres|reconciler-bench|LOG:  statement: CREATE DATABASE bench_c`,
  '',
].join('\n');

describe('countRoundTrips', () => {
  it('counts each statement of the database once, the lease apart, and the sessions opened', () => {
    expect(countRoundTrips(LOG, 'bench_a')).toEqual({ total: 6, state: 4, lease: 2, sessions: 2 });
  });

  it('counts nothing of another database, nor its continuation, DETAIL, ERROR or STATEMENT lines', () => {
    expect(countRoundTrips(LOG, 'bench_b')).toEqual({ total: 1, state: 1, lease: 0, sessions: 0 });
    expect(countRoundTrips(LOG, 'bench_c')).toEqual({ total: 0, state: 0, lease: 0, sessions: 0 });
  });

  it('adds stretches field by field', () => {
    const a = countRoundTrips(LOG, 'bench_a');
    expect(addRoundTrips(a, countRoundTrips(LOG, 'bench_b'))).toEqual({ total: 7, state: 5, lease: 2, sessions: 2 });
  });
});

describe('openStatementLog', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('counts only what was logged after the mark', () => {
    dir = mkdtempSync(join(tmpdir(), 'statement-log-'));
    const path = join(dir, 'log');
    writeFileSync(path, `rt|bench_a|${STORE}|LOG:  statement: SELECT 1\n`);
    const log = openStatementLog(path);
    const from = log.mark();
    expect(log.since(from, 'bench_a').total).toBe(0);
    appendFileSync(path, `rt|bench_a|${STORE}|LOG:  statement: BEGIN\nrt|bench_a|${STORE}|LOG:  statement: COMMIT\n`);
    expect(log.since(from, 'bench_a')).toEqual({ total: 2, state: 2, lease: 0, sessions: 0 });
    expect(log.since(0, 'bench_a').total).toBe(3);
  });
});
