import type { DagRun, RunConf } from '../airflow/gateway.js';
import type { RetrySettings } from '../config/schema.js';
import type { Ticket } from '../jira/ticket.js';
import { FINAL_STATES, type RunRecord } from '../store/run-record.js';
import { firstRunId } from './retry.js';
import { dagRunIdFor } from './run-id.js';
import { minutesPastLimit, type WatchdogLimits } from './watchdog.js';
import { validateTicket, type FieldProblem, type RunRequest, type ValidationRules } from './validate.js';

/** Kept on the record while a cancellation's stop is sent and not yet confirmed. */
export const STOP_SENT = 'cancelled: the stop of its DAG run was sent, not yet confirmed';

/** Everything known about one ticket request at a point of the pass. */
export interface Situation {
  /** The ticket as Jira shows it; null when Jira no longer shows it. */
  ticket: Ticket | null;
  /** The store's record of the request under consideration; null for a request not seen before. */
  record: RunRecord | null;
  /** The DAG run: undefined when not looked up yet, null when Airflow has no such run. */
  dagRun: DagRun | null | undefined;
  /** The ticket was just read directly (not from a search result, which may lag behind writes). */
  confirmed: boolean;
  /** The pass's clock, for due times; absent means every due time has come. */
  now?: Date;
}

export interface DecideRules extends ValidationRules {
  /** `running`, when set, is where a triggered ticket waits for its run to end. */
  statuses: { ready: string; completed: string; failed: string; cancelled: string; running?: string | undefined };
  /** The label that freezes a ticket, and whether a source is suspended. */
  holdLabel?: string;
  suspended?: (source: string) => boolean;
  /** The label a ticket for this environment needs before it runs; undefined: none needed. */
  approvalLabel?: (environment: string) => string | undefined;
  /** Minutes a run may stay queued or running before the watchdog says so on the ticket. */
  watchdog?: WatchdogLimits;
  dagIdFor: (source: string) => string;
  /** The automatic retry policy of a source and run type; absent: no retries. */
  retryPolicy?: (source: string, runType: string) => RetrySettings;
}

export type Decision =
  | { kind: 'none'; reason: string }
  | { kind: 'wait'; reason: string }
  | { kind: 'confirm'; reason: string }
  | { kind: 'poll' }
  | { kind: 'reject'; problems: FieldProblem[] }
  | { kind: 'trigger'; request: RunRequest; dagId: string; dagRunId: string; conf: RunConf; checkDag: boolean }
  | { kind: 'find'; dagId: string; dagRunId: string }
  | { kind: 'adopt'; dagId: string; dagRunId: string; dagRun: DagRun | null; request: RunRequest | null }
  | { kind: 'announce'; dagRun: DagRun; writeJira: boolean }
  | { kind: 'announce-retry' }
  | { kind: 'hold'; reason: string }
  | { kind: 'stuck'; dagRun: DagRun; minutes: number }
  | { kind: 'progress'; dagRun: DagRun; writeJira: boolean }
  | { kind: 'finish'; dagRun: DagRun; writeJira: boolean; move: boolean; cancelledAfterEnd?: boolean }
  | { kind: 'lost'; writeJira: boolean; move: boolean }
  | { kind: 'stop' }
  | { kind: 'abandon' }
  | { kind: 'write-final'; writeJira: boolean; move: boolean };

/**
 * The functional core: from the ticket, its record and its DAG run, the next thing to do. Pure; the pass
 * performs the decision, learns more (a direct read, a DAG run's state) and asks again.
 */
export function decide(situation: Situation, rules: DecideRules): Decision {
  const { ticket, record } = situation;
  if (!record) return decideNewRequest(situation, rules);

  // The ticket still stands for this request: Jira writes belong to it. After a re-run request (a newer
  // move into Ready) or a deletion, the old run is still tracked but the ticket is left alone.
  const current = ticket !== null && ticket.requestId === record.requestId;
  const inReady = current && isActive(ticket.status, rules);
  // Held: nothing triggered, nothing written; the run is still followed when the hold ends.
  const hold = current ? holdReason(ticket, record.source, rules) : null;
  if (hold && !(FINAL_STATES.has(record.state) && record.jiraPhase === 'finished')) return { kind: 'hold', reason: hold };

  if (FINAL_STATES.has(record.state)) {
    if (record.jiraPhase !== 'finished') return { kind: 'write-final', writeJira: current, move: inReady };
    if (!inReady) return { kind: 'none', reason: `request finished as ${record.state}` };
    if (!situation.confirmed) return { kind: 'confirm', reason: 'search still shows a finished request in Ready' };
    return { kind: 'write-final', writeJira: true, move: true };
  }

  if (ticket && sameStatus(ticket.status, rules.statuses.cancelled)) {
    // A run that already ended keeps its real outcome; only a live one is stopped.
    const ended = situation.dagRun && (situation.dagRun.state === 'success' || situation.dagRun.state === 'failed');
    // A run found ended after our own stop was sent (a crash before it was confirmed) was stopped by us.
    if (ended && situation.dagRun && record.lastProblem !== STOP_SENT) return { kind: 'finish', dagRun: situation.dagRun, writeJira: current, move: false, cancelledAfterEnd: true };
    // Stopping a run cannot be undone: a search that lags is not enough to act on.
    if (!situation.confirmed) return { kind: 'confirm', reason: 'search shows the ticket cancelled' };
    return { kind: 'stop' };
  }

  if (record.state === 'waiting') {
    // Over a cap: started first come, first served as slots free; leaving Ready to Run leaves the queue.
    const request = requestFromRecord(record);
    if (!request || !record.airflowDagId || !record.airflowDagRunId) return { kind: 'lost', writeJira: current, move: inReady };
    if (!inReady) return { kind: 'abandon' };
    return { kind: 'trigger', request, dagId: record.airflowDagId, dagRunId: record.airflowDagRunId, conf: confFor(record.jiraIssueKey, request), checkDag: true };
  }

  if (record.state === 'pending') {
    // Intent recorded, trigger unconfirmed (a crash in between): trigger again, a 409 adopts the run.
    const request = requestFromRecord(record);
    if (!request || !record.airflowDagId || !record.airflowDagRunId) return { kind: 'lost', writeJira: current, move: inReady };
    if (!inReady) {
      // The ticket has left Ready since: start nothing new, but adopt a run that did start.
      if (situation.dagRun === undefined) return { kind: 'poll' };
      if (situation.dagRun === null) return { kind: 'abandon' };
    }
    if (record.dueAt !== null) {
      // An automatic retry: told on the ticket first, then started when due.
      if (record.jiraPhase === 'none' && current) return { kind: 'announce-retry' };
      if (situation.now && situation.now.getTime() < Date.parse(record.dueAt)) return { kind: 'wait', reason: `retry due at ${record.dueAt}` };
    }
    return {
      kind: 'trigger',
      request,
      dagId: record.airflowDagId,
      dagRunId: record.airflowDagRunId,
      conf: confFor(record.jiraIssueKey, request),
      checkDag: false,
    };
  }

  const dagRun = situation.dagRun;
  if (dagRun === undefined) return { kind: 'poll' };
  if (dagRun === null) return { kind: 'lost', writeJira: current, move: inReady };
  if (dagRun.state === 'queued' || dagRun.state === 'running') {
    if (record.jiraPhase === 'none') return { kind: 'announce', dagRun, writeJira: current };
    if (record.state !== dagRun.state) return { kind: 'progress', dagRun, writeJira: current };
    const stuck = stuckMinutes(record, dagRun, rules, situation.now);
    if (stuck !== null && current) return { kind: 'stuck', dagRun, minutes: stuck };
    return { kind: 'wait', reason: `DAG run is ${dagRun.state}` };
  }
  return { kind: 'finish', dagRun, writeJira: current, move: inReady };
}

function decideNewRequest(situation: Situation, rules: DecideRules): Decision {
  const { ticket } = situation;
  if (!ticket) return { kind: 'none', reason: 'ticket not found' };
  if (!sameStatus(ticket.status, rules.statuses.ready)) {
    const started = startedRun(ticket, rules);
    return started ? decideStarted(situation, ticket, started, rules) : { kind: 'none', reason: `ticket is in ${ticket.status}` };
  }
  // Search results lag behind writes: act on a new request only after a direct read says so.
  if (!situation.confirmed) return { kind: 'confirm', reason: 'new request seen in search' };
  const hold = holdReason(ticket, ticket.source, rules);
  if (hold) return { kind: 'hold', reason: hold };
  const validation = validateTicket(ticket, rules);
  if (!validation.ok) return { kind: 'reject', problems: validation.problems };
  const { request } = validation;
  const approval = rules.approvalLabel?.(request.environment);
  if (approval && !ticket.labels.includes(approval)) {
    return {
      kind: 'reject',
      problems: [
        {
          field: 'Labels',
          problem: `a run on ${request.environment} needs the approval label "${approval}". Someone who may approve ${request.environment} runs adds it, then moves the ticket back to ${rules.statuses.ready}.`,
          reason: 'approval_missing',
        },
      ],
    };
  }
  return {
    kind: 'trigger',
    request,
    dagId: rules.dagIdFor(request.source),
    dagRunId: dagRunIdFor(ticket.key, ticket.requestId),
    conf: confFor(ticket.key, request),
    checkDag: true,
  };
}

/**
 * A ticket in the running status whose request the store does not know (the state file was lost): its
 * run was started in an earlier life and is followed to its end from Airflow. Nothing new is started for
 * it: only a move into Ready to Run is a request.
 */
function decideStarted(situation: Situation, ticket: Ticket, run: { dagId: string; dagRunId: string }, rules: DecideRules): Decision {
  if (!situation.confirmed) return { kind: 'confirm', reason: 'a ticket in the running status that the store does not know' };
  const hold = holdReason(ticket, ticket.source, rules);
  if (hold) return { kind: 'hold', reason: hold };
  if (situation.dagRun === undefined) return { kind: 'find', ...run };
  const validation = validateTicket(ticket, rules);
  return { kind: 'adopt', ...run, dagRun: situation.dagRun, request: validation.ok ? validation.request : null };
}

/**
 * The first DAG run of the ticket's current request, when the ticket waits in the running status and its
 * Airflow Run ID says that request was started (the first run, or a retry of it: `__a2`); null otherwise.
 */
export function startedRun(ticket: Ticket, rules: Pick<DecideRules, 'statuses' | 'dagIdFor'>): { dagId: string; dagRunId: string } | null {
  const running = rules.statuses.running;
  if (running === undefined || !sameStatus(ticket.status, running) || !ticket.airflowRunId || !ticket.source) return null;
  const dagRunId = dagRunIdFor(ticket.key, ticket.requestId);
  if (firstRunId(ticket.airflowRunId) !== dagRunId) return null;
  return { dagId: rules.dagIdFor(ticket.source), dagRunId };
}

export function confFor(issueKey: string, request: RunRequest): RunConf {
  return {
    jira_issue_key: issueKey,
    source: request.source,
    run_type: request.runType,
    params: request.params,
    environment: request.environment,
  };
}

function requestFromRecord(record: RunRecord): RunRequest | null {
  if (!record.source || !record.runType || !record.environment || record.params === null) return null;
  try {
    const params = JSON.parse(record.params) as unknown;
    if (typeof params !== 'object' || params === null || Array.isArray(params)) return null;
    return { source: record.source, runType: record.runType, environment: record.environment, params: params as Record<string, unknown> };
  } catch {
    return null;
  }
}

/** Where a ticket waits while its request is worked: Ready to Run, or the running status once triggered. */
function isActive(status: string, rules: DecideRules): boolean {
  return sameStatus(status, rules.statuses.ready) || (rules.statuses.running !== undefined && sameStatus(status, rules.statuses.running));
}

function holdReason(ticket: Ticket, source: string | null, rules: DecideRules): string | null {
  if (rules.holdLabel && ticket.labels.includes(rules.holdLabel)) return `held by the label ${rules.holdLabel}`;
  if (source && rules.suspended?.(source)) return `${SUSPENDED_SOURCE} ${source} is suspended`;
  return null;
}

const SUSPENDED_SOURCE = 'source';

/**
 * Whether a hold is a suspended source's: lifting it changes nothing in Jira, so the change feed would
 * not show its tickets again (see the cursor rule in pass.ts).
 */
export function isSuspensionHold(reason: string): boolean {
  return reason.startsWith(`${SUSPENDED_SOURCE} `) && reason.endsWith(' is suspended');
}

/** Minutes past the watchdog's limit for the run's state, or null when within it (or already said). */
function stuckMinutes(record: RunRecord, dagRun: DagRun, rules: DecideRules, now: Date | undefined): number | null {
  if (!now || record.stuckAt !== null || (dagRun.state !== 'queued' && dagRun.state !== 'running')) return null;
  const since = dagRun.state === 'queued' ? record.startedAt : (dagRun.startDate ?? record.startedAt);
  return minutesPastLimit(dagRun.state, since, rules.watchdog, now);
}

export function sameStatus(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}
