import type { DagRun } from '../../airflow/gateway.js';
import type { Logger } from '../../observability/logger.js';
import type { RunRecord } from '../../store/run-record.js';
import { startedComment } from '../comments.js';
import { sameStatus, type Situation } from '../decide.js';
import { asOutcome, type Step, type WorkContext } from './step.js';

/** Tells the ticket its run started: Airflow Run ID, Run Status and one comment with where to look. */
export async function announce(dagRun: DagRun, writeJira: boolean, s: Situation, ctx: WorkContext, log: Logger): Promise<Step> {
  let record = s.record as RunRecord;
  if (writeJira) {
    const dagId = record.airflowDagId ?? dagRun.dagId;
    const dagRunId = record.airflowDagRunId ?? dagRun.dagRunId;
    const fields = { airflowRunId: dagRunId, runStatus: dagRun.state };
    const comment = startedComment(
      { dagId, dagRunId, uiUrl: ctx.airflow.uiUrl(dagId, dagRunId) },
      { runType: record.runType ?? 'unknown', environment: record.environment ?? 'unknown' },
    );
    // The comment is looked for first only when an earlier life may have posted it.
    const knownAbsent = ctx.createdRuns.has(dagRunId);
    const running = ctx.rules.statuses.running;
    const fromStatus = s.ticket?.status ?? ctx.rules.statuses.ready;
    if (running && !sameStatus(fromStatus, running)) {
      // Ready to Run keeps only new requests: the trigger write moves the ticket, fields and comment with it.
      // With the request, a move whose answer was lost is checked in the changelog before it is sent again: a
      // person's cancel or re-run made meanwhile is never undone.
      const moved = await ctx.effects.transitionTo(record.jiraIssueKey, running, {
        fields,
        comment,
        fromStatus,
        knownAbsent,
        cache: ctx.transitions,
        requestId: record.requestId,
      });
      if (moved.kind === 'no-transition') {
        log.error({ status: running, available: moved.available }, 'No transition to the running status; the ticket stays where it is');
        await ctx.effects.updateFields(record.jiraIssueKey, fields, { comment, knownAbsent });
      }
    } else {
      // Fields and comment in one edit.
      await ctx.effects.updateFields(record.jiraIssueKey, fields, { comment, knownAbsent });
    }
  }
  record = await ctx.effects.update(record, { jiraPhase: 'started', state: dagRun.state === 'queued' ? 'queued' : 'running', lastProblem: null });
  log.info({ dagRunId: record.airflowDagRunId }, 'Ticket told the run started');
  return { situation: { ...s, record, dagRun } };
}

/** A live run changed state (queued → running): the record and the ticket's Run Status follow. */
export async function progress(dagRun: DagRun, writeJira: boolean, s: Situation, ctx: WorkContext, log: Logger): Promise<Step> {
  // Jira first: if its write fails, the record still differs from the run and the next pass tries again.
  if (writeJira) await ctx.effects.updateFields((s.record as RunRecord).jiraIssueKey, { runStatus: dagRun.state });
  // The watchdog's clock starts again in the new state.
  const record = await ctx.effects.update(s.record as RunRecord, { state: dagRun.state, stuckAt: null });
  log.info({ dagRunId: record.airflowDagRunId, state: dagRun.state }, 'DAG run state changed');
  return { outcome: asOutcome(dagRun.state), detail: `DAG run is ${dagRun.state}` };
}
