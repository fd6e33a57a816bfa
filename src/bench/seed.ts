import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../clock.js';
import { dagRunIdFor } from '../reconcile/run-id.js';
import { SIM_AIRFLOW_USER } from '../sandbox/sim-env.js';
import { copySqliteToPg } from '../store/pg/copy-from-sqlite.js';
import { openStore } from '../store/sqlite-store.js';
import { jsonClient } from './http-client.js';
import type { BenchSims } from './sims.js';
import type { StateTarget } from './strategies.js';

export const SOURCES = ['alfabeta', 'quebec', 'lafa'] as const;
const READY = 'Ready to Run';
/** Seeds are dated this long ago: older than any change feed's overlap, so a steady pass has nothing new. */
const SEED_AGE_MS = 2 * 60 * 60 * 1000;

export interface SeededTicket {
  key: string;
  id: string;
  source: string;
  /** Set for tickets seeded in flight. */
  dagRunId?: string;
}

/** `n` valid tickets put in Ready to Run by a person, as new requests. */
export function seedReady(sims: BenchSims, n: number): SeededTicket[] {
  const tickets: SeededTicket[] = [];
  for (let i = 0; i < n; i++) {
    const source = SOURCES[i % SOURCES.length] ?? 'lafa';
    const { key, id } = sims.jira.createIssue({ source, runType: 'DELTA', environment: 'prod', params: { limit: i + 1 } });
    sims.jira.moveIssue(key, READY);
    tickets.push({ key, id, source });
  }
  return tickets;
}

/**
 * `n` requests already triggered and announced, written straight into both simulators and the state
 * state (through the product's store) as the reconciler would have left them, dated two hours ago.
 * Thousands of passes would take far longer to reach the same place.
 */
export async function seedInFlight(sims: BenchSims, n: number, state: StateTarget | null): Promise<SeededTicket[]> {
  sims.backdate(SEED_AGE_MS);
  const seededAt = new Date(Date.now() - SEED_AGE_MS);
  try {
    const tickets = seedReady(sims, n).map((ticket) => {
      const requestId = sims.jira.issue(ticket.key).histories.at(-1)?.id ?? 'created';
      const dagRunId = dagRunIdFor(ticket.key, requestId);
      sims.jira.setField(ticket.key, 'customfield_airflow_run_id', dagRunId);
      sims.jira.setField(ticket.key, 'customfield_run_status', 'running');
      return { ...ticket, requestId, dagRunId };
    });
    const airflow = jsonClient(`${sims.airflow.url}/api/v1`, SIM_AIRFLOW_USER.username, SIM_AIRFLOW_USER.password, 16);
    await Promise.all(
      tickets.map((ticket, i) =>
        airflow.request('POST', `/dags/scraper_${ticket.source}/dagRuns`, { dag_run_id: ticket.dagRunId, conf: confOf(ticket.key, ticket.source, i) }),
      ),
    );
    if (state?.backend === 'sqlite') await seedStore(state.path, tickets, seededAt);
    if (state?.backend === 'postgres') await seedPg(state.url, tickets, seededAt);
    return tickets.map(({ key, id, source, dagRunId }) => ({ key, id, source, dagRunId }));
  } finally {
    sims.backdate(0);
  }
}

/**
 * The same records written to a SQLite file, then moved into the database as `state copy` moves them
 * (openPgStore's importSnapshot, one transaction): the PostgreSQL run starts from the same state.
 */
async function seedPg(url: string, tickets: ReadonlyArray<SeededTicket & { requestId: string }>, at: Date): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'reconciler-bench-seed-'));
  try {
    const path = join(dir, 'seed.db');
    await seedStore(path, tickets, at);
    await copySqliteToPg(path, url, { force: false });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function seedStore(dbPath: string, tickets: ReadonlyArray<SeededTicket & { requestId: string }>, at: Date): Promise<void> {
  const store = await openStore(dbPath, { clock: systemClock, command: 'bench-seed', lockWaitMs: 1_000 });
  try {
    store.transaction(() => {
      tickets.forEach((ticket, i) => {
        const record = store.insert(
          {
            jiraIssueKey: ticket.key,
            requestId: ticket.requestId,
            source: ticket.source,
            runType: 'DELTA',
            environment: 'prod',
            params: JSON.stringify({ limit: i + 1 }),
            airflowDagId: `scraper_${ticket.source}`,
            airflowDagRunId: ticket.dagRunId ?? null,
            state: 'pending',
          },
          at,
        );
        store.update(record.id, { state: 'running', jiraPhase: 'started', startedAt: at.toISOString() }, at);
      });
    });
  } finally {
    store.close();
  }
}

/** CONTRACT §4's conf, as a trigger sends it. */
export function confOf(key: string, source: string, i: number): Record<string, unknown> {
  return { jira_issue_key: key, source, run_type: 'DELTA', params: { limit: i + 1 }, environment: 'prod' };
}

export function isFinal(sims: BenchSims, key: string): boolean {
  const status = sims.jira.issue(key).status;
  return status === 'Completed' || status === 'Failed - Needs Investigation';
}

/** Triggered and announced: the run id is on the ticket and it has a comment. */
export function isAnnounced(sims: BenchSims, key: string): boolean {
  const issue = sims.jira.issue(key);
  return issue.fields.customfield_airflow_run_id !== null && issue.comments.length > 0;
}
