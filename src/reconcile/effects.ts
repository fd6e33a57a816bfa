import type { AirflowGateway, DagRun, RunConf, StopOutcome, TriggerOutcome } from '../airflow/gateway.js';
import type { Clock } from '../clock.js';
import type { EditOptions, TransitionOptions, TransitionOutcome } from '../jira/gateway.js';
import type { JiraGateway } from '../jira/gateway.js';
import type { CommentBody, TicketWrite } from '../jira/ticket.js';
import type { NewRunRecord, RunRecord, RunRecordPatch } from '../store/run-record.js';
import type { NewOutboxRow } from '../store/outbox-repo.js';
import type { RunStore } from '../store/run-store.js';
import type { PlannedAction } from './summary.js';

/** Every write of a pass goes through here; a dry run records them instead of performing them. */
export interface Effects {
  insert(record: NewRunRecord): Promise<RunRecord>;
  update(record: RunRecord, patch: RunRecordPatch): Promise<RunRecord>;
  /** The update that records a write-back as done, with the notifications it calls for, atomically. */
  updateAndNotify(record: RunRecord, patch: RunRecordPatch, notifications: readonly NewOutboxRow[]): Promise<RunRecord>;
  trigger(issue: string, dagId: string, dagRunId: string, conf: RunConf): Promise<TriggerOutcome>;
  stopDagRun(issue: string, dagId: string, dagRunId: string): Promise<StopOutcome>;
  updateFields(issue: string, fields: TicketWrite, options?: EditOptions): Promise<void>;
  transitionTo(issue: string, status: string, options: TransitionOptions): Promise<TransitionOutcome>;
}

export function liveEffects(store: RunStore, jira: JiraGateway, airflow: AirflowGateway, clock: Clock): Effects {
  return {
    insert: async (record) => store.insert(record, clock.now()),
    update: async (record, patch) => store.update(record.id, patch, clock.now()),
    updateAndNotify: async (record, patch, notifications) => store.updateAndNotify(record.id, patch, notifications, clock.now()),
    trigger: (_issue, dagId, dagRunId, conf) => airflow.trigger(dagId, dagRunId, conf),
    stopDagRun: (_issue, dagId, dagRunId) => airflow.stopDagRun(dagId, dagRunId),
    updateFields: (issue, fields, options) => jira.updateFields(issue, fields, options),
    transitionTo: (issue, status, options) => jira.transitionTo(issue, status, options),
  };
}

/** Plans instead of writing: nothing reaches Jira, Airflow or the store. */
export function dryRunEffects(planned: PlannedAction[], clock: Clock): Effects {
  let nextId = -1;
  return {
    insert(record) {
      planned.push({ kind: 'store-insert', issue: record.jiraIssueKey, requestId: record.requestId, state: record.state });
      const now = clock.now().toISOString();
      return Promise.resolve({
        id: nextId--,
        attempt: record.attempt ?? 1,
        error: record.error ?? null,
        jiraPhase: 'none',
        platformRunId: null,
        itemCount: null,
        lastProblem: null,
        dueAt: null,
        stuckAt: null,
        createdAt: now,
        updatedAt: now,
        startedAt: null,
        finishedAt: null,
        ...record,
        requestedAt: record.requestedAt ?? null,
        summary: record.summary ?? null,
      });
    },
    update(record, patch) {
      planned.push({ kind: 'store-update', issue: record.jiraIssueKey, patch: { ...patch } });
      return Promise.resolve({ ...record, ...patch, updatedAt: clock.now().toISOString() });
    },
    async updateAndNotify(record, patch, notifications) {
      for (const row of notifications) planned.push({ kind: 'notify', issue: record.jiraIssueKey, channel: row.channel, event: eventOf(row.payload) });
      return this.update(record, patch);
    },
    trigger(issue, dagId, dagRunId, conf) {
      planned.push({ kind: 'trigger', issue, dagId, dagRunId, conf });
      const run: DagRun = { dagId, dagRunId, state: 'queued', startDate: null, endDate: null };
      return Promise.resolve({ kind: 'created', run });
    },
    stopDagRun(issue, dagId, dagRunId) {
      planned.push({ kind: 'stop-dag-run', issue, dagId, dagRunId });
      return Promise.resolve({ kind: 'confirmed', rounds: 1, tasksMarked: 0 });
    },
    updateFields(issue, fields, options) {
      planned.push({ kind: 'jira-fields', issue, fields });
      if (options?.comment) planned.push({ kind: 'jira-comment', issue, marker: options.comment.marker, text: commentText(options.comment) });
      return Promise.resolve();
    },
    transitionTo(issue, status, options) {
      planned.push({
        kind: 'jira-transition',
        issue,
        to: status,
        ...(options.fields ? { fields: options.fields } : {}),
        ...(options.comment ? { comment: commentText(options.comment) } : {}),
      });
      return Promise.resolve({ kind: 'moved', transitionId: 'dry-run', bundled: true });
    },
  };
}

export function commentText(comment: CommentBody): string {
  return comment.paragraphs.map((p) => p.map((inline) => inline.text).join('')).join('\n');
}

function eventOf(payload: unknown): string {
  const event = (payload as { event?: unknown } | null)?.event;
  return typeof event === 'string' ? event : 'unknown';
}
