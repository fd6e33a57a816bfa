import type { DagRun } from '../airflow/gateway.js';
import type { Ticket } from '../jira/ticket.js';
import type { RunRecord } from '../store/run-record.js';

/**
 * An in-flight run the change feed says nothing new about: as the record last saw it. Only called for
 * records in queued or running with a DAG run id.
 */
export function lastSeenRun(record: RunRecord): DagRun {
  return {
    dagId: record.airflowDagId ?? '',
    dagRunId: record.airflowDagRunId ?? '',
    state: record.state === 'running' ? 'running' : 'queued',
    startDate: record.startedAt,
    endDate: null,
  };
}

/**
 * An in-flight ticket the change feed says nothing new about: still standing for the record's request,
 * in the status the reconciler left it in. A person's move to Cancelled or back to Ready would have
 * shown in the search; a move elsewhere shows when a write to it is refused, or at the next full resync.
 */
export function lastSeenTicket(record: RunRecord, statuses: { ready: string; running?: string | undefined }): Ticket {
  return {
    key: record.jiraIssueKey,
    id: '',
    status: statuses.running && record.jiraPhase !== 'none' ? statuses.running : statuses.ready,
    updated: record.updatedAt,
    source: record.source,
    runType: record.runType,
    environment: record.environment,
    paramsText: record.params,
    airflowRunId: record.airflowDagRunId,
    runStatus: record.state,
    platformRunId: record.platformRunId,
    // A label added or removed updates the ticket, so the search shows it; until then the ticket keeps the
    // hold label the reconciler last saw on it (its record says so), or it would be worked while held.
    labels: heldByLabel(record),
    requestId: record.requestId,
    requestedAt: record.requestedAt ?? record.createdAt,
  };
}

/** The hold label a held ticket's record names (steps/hold.ts writes `held: held by the label <label>`). */
function heldByLabel(record: RunRecord): string[] {
  const label = /^held: held by the label (\S+)$/.exec(record.lastProblem ?? '')?.[1];
  return label ? [label] : [];
}
