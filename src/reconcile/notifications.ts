import type { Config } from '../config/schema.js';
import type { NotifyEvent } from '../notify/notify-config.js';
import { notificationRows } from '../notify/routing.js';
import type { NewOutboxRow } from '../store/outbox-repo.js';
import type { RunRecord } from '../store/run-record.js';
import { attemptOf, attemptRunId, firstRunId } from './retry.js';

export type NotificationsFor = (record: RunRecord, extra?: NotificationExtra) => NewOutboxRow[];

/** What an event that is not an outcome (a retry, a stuck run) adds to the message. */
export interface NotificationExtra {
  event: NotifyEvent;
  detail?: string;
  retry?: { attempt: number; of: number; dagRunId: string };
  stuck?: { state: 'queued' | 'running'; minutes: number };
  occurrence?: string | number;
}

/** The outbox rows for a request's outcome (or another event), one per channel that wants it. */
export function notificationsFor(config: Config, uiUrl: (dagId: string, dagRunId: string) => string): NotificationsFor {
  return (record, extra) => {
    const event = extra?.event ?? outcomeEvent(record);
    if (!event) return [];
    const dagId = record.airflowDagId ?? undefined;
    // A retry links the run that failed, as its comment does; the next one is named in `retry`.
    const dagRunId = extra?.retry ? failedRunOf(extra.retry.dagRunId) : (record.airflowDagRunId ?? undefined);
    const detail = extra?.detail ?? record.error ?? undefined;
    const retry = extra?.retry && record.dueAt ? { ...extra.retry, dueAt: record.dueAt } : extra?.retry;
    return notificationRows(config, {
      event,
      issueKey: record.jiraIssueKey,
      requestId: record.requestId,
      ...(record.summary ? { summary: record.summary } : {}),
      ...(record.source ? { source: record.source } : {}),
      ...(dagId ? { dagId } : {}),
      ...(dagRunId ? { dagRunId } : {}),
      ...(dagId && dagRunId ? { runUrl: uiUrl(dagId, dagRunId) } : {}),
      ...(record.itemCount !== null ? { itemCount: record.itemCount } : {}),
      ...(detail ? { detail } : {}),
      ...(retry ? { retry } : {}),
      ...(extra?.stuck ? { stuck: extra.stuck } : {}),
      ...(extra?.occurrence !== undefined ? { occurrence: extra.occurrence } : {}),
    });
  };
}

/** The attempt before `nextRunId`: `jira__SCR-1__7__a3` → `jira__SCR-1__7__a2`, `…__a2` → the first id. */
function failedRunOf(nextRunId: string): string {
  return attemptRunId(firstRunId(nextRunId), attemptOf(nextRunId) - 1);
}

function outcomeEvent(record: RunRecord): NotifyEvent | null {
  switch (record.state) {
    case 'success':
    case 'failed':
    case 'invalid':
    case 'cancelled':
      return record.state;
    default:
      return null;
  }
}
