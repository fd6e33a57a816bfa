import type { Config } from '../config/schema.js';
import type { NotifyEvent } from '../notify/notify-config.js';
import { notificationRows } from '../notify/routing.js';
import type { NewOutboxRow } from '../store/outbox-repo.js';
import type { RunRecord } from '../store/run-record.js';

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
    const dagRunId = extra?.retry?.dagRunId ?? record.airflowDagRunId ?? undefined;
    const detail = extra?.detail ?? record.error ?? undefined;
    return notificationRows(config, {
      event,
      issueKey: record.jiraIssueKey,
      requestId: record.requestId,
      ...(record.source ? { source: record.source } : {}),
      ...(dagId ? { dagId } : {}),
      ...(dagRunId ? { dagRunId } : {}),
      ...(dagId && dagRunId ? { runUrl: uiUrl(dagId, dagRunId) } : {}),
      ...(record.itemCount !== null ? { itemCount: record.itemCount } : {}),
      ...(detail ? { detail } : {}),
      ...(extra?.retry ? { retry: extra.retry } : {}),
      ...(extra?.stuck ? { stuck: extra.stuck } : {}),
      ...(extra?.occurrence !== undefined ? { occurrence: extra.occurrence } : {}),
    });
  };
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
