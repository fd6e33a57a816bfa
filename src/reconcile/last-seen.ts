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
    // Unknown until read; a label added or removed updates the ticket, so the search shows it.
    labels: [],
    requestId: record.requestId,
    requestedAt: record.requestedAt ?? record.createdAt,
  };
}
