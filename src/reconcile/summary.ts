import type { RunConf } from '../airflow/gateway.js';
import type { TicketWrite } from '../jira/ticket.js';

/** A write the pass performs, or in a dry run only plans. */
export type PlannedAction =
  | { kind: 'store-insert'; issue: string; requestId: string; state: string }
  | { kind: 'store-update'; issue: string; patch: Record<string, unknown> }
  | { kind: 'trigger'; issue: string; dagId: string; dagRunId: string; conf: RunConf }
  | { kind: 'stop-dag-run'; issue: string; dagId: string; dagRunId: string }
  | { kind: 'jira-fields'; issue: string; fields: TicketWrite }
  | { kind: 'jira-comment'; issue: string; marker: string; text: string }
  | { kind: 'jira-transition'; issue: string; to: string; fields?: TicketWrite; comment?: string }
  | { kind: 'notify'; issue: string; channel: string; event: string };

export type TicketOutcome =
  | 'triggered'
  | 'adopted'
  | 'rejected'
  | 'succeeded'
  | 'failed'
  | 'cancelled'
  | 'running'
  | 'queued'
  | 'updated'
  | 'unchanged'
  | 'held'
  | 'waiting'
  | 'set-aside'
  | 'error';

export interface TicketReport {
  issue: string;
  requestId: string | null;
  dagRunId: string | null;
  outcome: TicketOutcome;
  detail: string;
}

export interface SetAside {
  issue: string;
  requestId: string | null;
  reason: string;
}

export interface PassSummary {
  startedAt: string;
  durationMs: number;
  dryRun: boolean;
  search: 'full' | 'incremental' | 'issues';
  ticketsSeen: number;
  triggered: number;
  adopted: number;
  rejected: number;
  finished: number;
  cancelled: number;
  /** Tickets left alone this pass: the hold label, or their source suspended. */
  held: number;
  /** Requests over an in-flight cap, waiting for a slot (first come, first served). */
  waiting: number;
  inFlight: number;
  /** Environments' Airflows that were down this pass (their tickets waited; the others went on). */
  airflowDown: Array<{ instance: string; error: string }>;
  errors: number;
  /** Ticket requests left for later, and why (the process stopping): pending, not failed; the next pass or start works them. */
  setAside: SetAside[];
  tickets: TicketReport[];
  planned: PlannedAction[];
}

export function countOutcomes(reports: readonly TicketReport[]): Pick<
  PassSummary,
  'triggered' | 'adopted' | 'rejected' | 'finished' | 'cancelled' | 'held' | 'waiting' | 'errors'
> {
  const count = (...outcomes: TicketOutcome[]): number => reports.filter((r) => outcomes.includes(r.outcome)).length;
  return {
    triggered: count('triggered'),
    adopted: count('adopted'),
    rejected: count('rejected'),
    finished: count('succeeded', 'failed'),
    cancelled: count('cancelled'),
    held: count('held'),
    waiting: count('waiting'),
    errors: count('error'),
  };
}
