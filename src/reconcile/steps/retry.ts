import type { DagRun } from '../../airflow/gateway.js';
import type { Logger } from '../../observability/logger.js';
import type { RunRecord, RunRecordPatch } from '../../store/run-record.js';
import { retryComment } from '../comments.js';
import type { Situation } from '../decide.js';
import { attemptOf, firstRunId, type RetryPlan } from '../retry.js';
import type { Step, WorkContext } from './step.js';

/**
 * A failed run that the retry policy tries again: the record becomes the next attempt, pending until
 * its due time (kept in the store, so a restart waits the same), with the failure kept as its error.
 */
export async function scheduleRetry(plan: RetryPlan, failed: RunRecordPatch, dagRun: DagRun, s: Situation, ctx: WorkContext, log: Logger): Promise<Step> {
  const previous = s.record as RunRecord;
  const reason = failed.error ?? `the DAG run ended ${dagRun.state}`;
  const patch: RunRecordPatch = {
    state: 'pending',
    airflowDagRunId: plan.dagRunId,
    dueAt: plan.dueAt.toISOString(),
    error: reason,
    platformRunId: null,
    itemCount: null,
    startedAt: null,
    finishedAt: null,
    // The new attempt's news (one comment, Run Status queued) is not on the ticket yet.
    jiraPhase: 'none',
  };
  const retry = { attempt: plan.attempt, of: plan.of, dagRunId: plan.dagRunId };
  const record = await ctx.effects.updateAndNotify(previous, patch, ctx.notificationsFor({ ...previous, ...patch }, { event: 'retry', detail: reason, retry }));
  ctx.metrics.retries.inc({ source: previous.source ?? 'unknown' });
  log.info({ failedRunId: dagRun.dagRunId, dagRunId: plan.dagRunId, attempt: plan.attempt, of: plan.of, dueAt: patch.dueAt }, 'Failed DAG run will be retried');
  return { situation: { ...s, record, dagRun: undefined }, outcome: 'queued', detail: `attempt ${plan.attempt} of ${plan.of} due ${patch.dueAt ?? ''}` };
}

/** Tells the ticket about the retry: one comment, the new Airflow Run ID and Run Status queued, in one edit. */
export async function announceRetry(s: Situation, ctx: WorkContext, log: Logger): Promise<Step> {
  let record = s.record as RunRecord;
  const dagId = record.airflowDagId ?? '';
  const dagRunId = record.airflowDagRunId ?? '';
  const attempt = attemptOf(dagRunId);
  const failedId = attempt > 2 ? `${firstRunId(dagRunId)}__a${attempt - 1}` : firstRunId(dagRunId);
  const of = ctx.rules.retryPolicy?.(record.source ?? '', record.runType ?? '').attempts ?? attempt;
  const comment = retryComment(
    { dagId, dagRunId: failedId, uiUrl: ctx.airflow.uiUrl(dagId, failedId) },
    { attempt, of: Math.max(of, attempt), dagRunId, dueAt: record.dueAt ?? 'now' },
    record.error ?? 'the DAG run failed',
  );
  // A retry comment may have landed before a crash: it is looked for (retries are rare; the look is cheap).
  await ctx.effects.updateFields(record.jiraIssueKey, { airflowRunId: dagRunId, runStatus: 'queued' }, { comment, knownAbsent: false });
  record = await ctx.effects.update(record, { jiraPhase: 'started' });
  log.info({ dagRunId, attempt }, 'Ticket told of the retry');
  return { situation: { ...s, record }, outcome: 'queued', detail: `attempt ${attempt} due ${record.dueAt ?? ''}` };
}
