import type { SimDagRun } from '../sandbox/airflow/types.js';
import type { History } from '../sandbox/jira/model.js';

/** When, by the simulators' own records, a request reached each point a person waits for (ms). */
export interface TicketTimes {
  /** The ticket's last move into Ready to Run (Jira's history). */
  readyAt: number | null;
  /** Its DAG run was created (Airflow's `queued_at`). */
  runCreatedAt: number | null;
  /** The run ended (Airflow's `end_date`). */
  runEndedAt: number | null;
  /** The ticket's first move into a final status after readyAt (Jira's history). */
  finalAt: number | null;
}

export const READY = 'Ready to Run';
export const FINAL_STATUSES: ReadonlySet<string> = new Set(['Completed', 'Failed - Needs Investigation']);

/** A ticket's times from its Jira histories and the DAG runs whose conf names it (the first created counts). */
export function ticketTimes(histories: readonly History[], runs: ReadonlyArray<Pick<SimDagRun, 'queuedAt' | 'endDate'>>): TicketTimes {
  const moves = histories
    .flatMap((history) => history.items.filter((item) => item.field === 'status').map((item) => ({ at: history.created, to: item.toString ?? '' })))
    .sort((a, b) => a.at - b.at);
  const readyAt = moves.filter((move) => move.to === READY).at(-1)?.at ?? null;
  const finalAt = readyAt === null ? null : (moves.find((move) => move.at >= readyAt && FINAL_STATUSES.has(move.to))?.at ?? null);
  const run = [...runs].sort((a, b) => a.queuedAt - b.queuedAt)[0];
  return { readyAt, runCreatedAt: run?.queuedAt ?? null, runEndedAt: run?.endDate ?? null, finalAt };
}

/** Ticket in Ready to Run → its DAG run exists, and run ended → ticket final, for every ticket that got that far (ms). */
export function latencies(times: readonly TicketTimes[]): { pickupMs: number[]; runEndMs: number[] } {
  const pickupMs: number[] = [];
  const runEndMs: number[] = [];
  for (const t of times) {
    if (t.readyAt !== null && t.runCreatedAt !== null) pickupMs.push(t.runCreatedAt - t.readyAt);
    if (t.runEndedAt !== null && t.finalAt !== null) runEndMs.push(t.finalAt - t.runEndedAt);
  }
  return { pickupMs, runEndMs };
}
