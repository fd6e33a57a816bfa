import type { Logger } from '../../observability/logger.js';
import type { RunRecord } from '../../store/run-record.js';
import { finalWrite } from '../final-write.js';
import { asOutcome, type Step, type WorkContext } from './step.js';

const SUPERSEDED = 'the ticket has moved on to a newer request; outcome not written to it';

/**
 * Tells Jira how a request ended (fields, one comment, the move), rebuilt from the record; or, when the
 * ticket stands for a newer request, only marks the outcome as told.
 */
export async function writeFinal(
  record: RunRecord,
  writeJira: boolean,
  move: boolean,
  ctx: WorkContext,
  log: Logger,
  options: { fresh: boolean; note?: string },
): Promise<Step> {
  const key = record.jiraIssueKey;
  const outcome = asOutcome(record.state);
  if (!writeJira) {
    await ctx.effects.updateAndNotify(record, { jiraPhase: 'finished', lastProblem: SUPERSEDED }, ctx.notificationsFor(record));
    return { outcome, detail: 'outcome recorded; the ticket stands for a newer request' };
  }
  const write = finalWrite(record, (dagId, runId) => ctx.airflow.uiUrl(dagId, runId), ctx.rules.statuses.ready, options.note);
  // The request ended in this pass, so its outcome comment cannot be on the ticket yet: no look for it.
  // Not so for a run adopted from an earlier life, a retried write, or a rejection (one comment per content).
  const knownAbsent = options.fresh && record.state !== 'invalid' && !ctx.adoptedRuns.has(record.airflowDagRunId ?? '');
  let detail = `Run Status ${write.fields.runStatus ?? record.state}`;
  if (move && write.target) {
    const status = ctx.rules.statuses[write.target];
    // `move` is decided only for a ticket seen in Ready to Run, or in the running status once told of its run.
    const running = ctx.rules.statuses.running;
    const fromStatus = running && record.jiraPhase !== 'none' ? running : ctx.rules.statuses.ready;
    const moved = await ctx.effects.transitionTo(key, status, {
      fields: write.fields,
      comment: write.comment,
      fromStatus,
      knownAbsent,
      cache: ctx.transitions,
      requestId: record.requestId,
      // A request that did not end in this pass may have had its move sent already, by an earlier pass or life.
      unconfirmed: !options.fresh,
    });
    if (moved.kind === 'no-transition') {
      const problem = `no transition to "${status}" from the ticket's status (reachable: ${moved.available.join(', ') || 'none'}); fix the workflow`;
      await ctx.effects.updateFields(key, write.fields, { comment: write.comment, knownAbsent });
      await ctx.effects.updateAndNotify(record, { jiraPhase: 'finished', lastProblem: problem }, ctx.notificationsFor(record));
      log.error({ status, available: moved.available }, 'No transition to the target status');
      return { outcome: 'error', detail: problem };
    }
    if (moved.kind === 'superseded') {
      // A person moved the ticket back to Ready to Run before our move landed: a re-run, never undone.
      await ctx.effects.updateAndNotify(record, { jiraPhase: 'finished', lastProblem: SUPERSEDED }, ctx.notificationsFor(record));
      log.info({ dagRunId: record.airflowDagRunId, newerRequest: moved.requestId }, 'Outcome recorded; the ticket was moved back to Ready to Run for a re-run');
      return { outcome, detail: 'outcome recorded; the ticket stands for a newer request (a re-run)' };
    }
    if (moved.kind === 'landed') log.info({ dagRunId: record.airflowDagRunId }, 'The final move had landed although its answer was lost; not sent again');
    detail += `, moved to ${status}`;
  } else {
    await ctx.effects.updateFields(key, write.fields, { comment: write.comment, knownAbsent });
  }
  // Notifications are queued with the record of the write-back: sent after Jira was told, never instead.
  await ctx.effects.updateAndNotify(record, { jiraPhase: 'finished', lastProblem: null }, ctx.notificationsFor(record));
  log.info({ dagRunId: record.airflowDagRunId, state: record.state }, 'Ticket updated with the outcome');
  return { outcome, detail };
}
