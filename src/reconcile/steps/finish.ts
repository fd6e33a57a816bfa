import type { DagRun, ResultXcom, StopOutcome } from '../../airflow/gateway.js';
import { isUpstreamError } from '../../http/errors.js';
import type { Logger } from '../../observability/logger.js';
import type { RunRecord } from '../../store/run-record.js';
import { STOP_SENT, type Situation } from '../decide.js';
import { interpretResult } from '../result.js';
import { countFinished, type Step, type WorkContext } from './step.js';
import { planRetry } from '../retry.js';
import { scheduleRetry } from './retry.js';
import { writeFinal } from './write-final.js';
import { countOf } from '../../words.js';

/** The run ended: its result is read (a missing or malformed one is a gap, never fatal) and Jira is told. */
export async function finish(
  dagRun: DagRun,
  writeJira: boolean,
  move: boolean,
  s: Situation,
  ctx: WorkContext,
  log: Logger,
  cancelledAfterEnd = false,
): Promise<Step> {
  let record = s.record as RunRecord;
  const xcom = await readResult(dagRun, ctx);
  const result = interpretResult(xcom, ctx.resultTaskId);
  const state = dagRun.state === 'success' && !result.error ? 'success' : 'failed';
  const patch = {
    state,
    platformRunId: result.platformRunId,
    itemCount: result.itemCount,
    error: result.error ?? result.gap,
    startedAt: dagRun.startDate ?? record.startedAt,
    finishedAt: dagRun.endDate ?? ctx.clock.now().toISOString(),
  } as const;
  // Only a ticket still waiting in Ready to Run for this request is retried: a person's move stops it.
  if (state === 'failed' && writeJira && move && ctx.rules.retryPolicy) {
    const policy = ctx.rules.retryPolicy(record.source ?? '', record.runType ?? '');
    const immediate = ctx.adoptedRuns.has(dagRun.dagRunId);
    const plan = planRetry(policy, dagRun.dagRunId, patch.error ?? null, ctx.clock.now(), immediate);
    if (plan) return scheduleRetry(plan, patch, dagRun, s, ctx, log);
  }
  record = await ctx.effects.update(record, patch);
  countFinished(record, ctx);
  log.info(
    { dagRunId: dagRun.dagRunId, state, itemCount: result.itemCount, platformRunId: result.platformRunId, gap: result.gap ?? undefined },
    'DAG run finished',
  );
  const note = cancelledAfterEnd ? 'The ticket was cancelled after this run had ended: nothing was changed in Airflow.' : undefined;
  return writeFinal(record, writeJira, move, ctx, log, { fresh: true, ...(note ? { note } : {}) });
}

/** An answer for the result that is not readable is a malformed result (a gap in the comment), not a stuck ticket. */
async function readResult(dagRun: DagRun, ctx: WorkContext): Promise<ResultXcom> {
  try {
    return await ctx.airflow.getResult(dagRun.dagId, dagRun.dagRunId);
  } catch (error) {
    if (!isUpstreamError(error, 'bad_response')) throw error;
    return { kind: 'missing', reason: `Airflow's answer for it was not readable: ${error.message}` };
  }
}

/** Airflow no longer has the run: the request fails, and says why. */
export async function lost(writeJira: boolean, move: boolean, s: Situation, ctx: WorkContext, log: Logger): Promise<Step> {
  await ctx.airflowAnswers();
  const record = await ctx.effects.update(s.record as RunRecord, {
    state: 'failed',
    error: 'The DAG run no longer exists in Airflow (deleted, or its DAG was removed).',
    finishedAt: ctx.clock.now().toISOString(),
  });
  countFinished(record, ctx);
  log.warn({ dagRunId: record.airflowDagRunId }, 'DAG run lost in Airflow');
  return writeFinal(record, writeJira, move, ctx, log, { fresh: true });
}

/** A person cancelled the ticket: its live run is stopped and the stop verified; the ticket stays where they put it. */
export async function stop(s: Situation, ctx: WorkContext, log: Logger): Promise<Step> {
  let record = s.record as RunRecord;
  const live = record.airflowDagId && record.airflowDagRunId && record.state !== 'waiting';
  // Said before the stop, so that after a crash mid-stop a run found failed is known to be this stop's doing.
  const resumed = record.lastProblem === STOP_SENT;
  if (live && !resumed) record = await ctx.effects.update(record, { lastProblem: STOP_SENT });
  const sent: StopOutcome = live
    ? await ctx.effects.stopDagRun(record.jiraIssueKey, record.airflowDagId ?? '', record.airflowDagRunId ?? '')
    : { kind: 'not-found' };
  const outcome: StopOutcome = resumed && sent.kind === 'already-ended' && sent.state === 'failed' ? { kind: 'confirmed', rounds: 0, tasksMarked: 0 } : sent;
  const problem = stopProblem(outcome);
  record = await ctx.effects.update(record, { state: 'cancelled', error: problem, lastProblem: null, finishedAt: ctx.clock.now().toISOString() });
  countFinished(record, ctx);
  if (outcome.kind === 'unconfirmed') log.error({ dagRunId: record.airflowDagRunId, rounds: outcome.rounds, state: outcome.state }, 'Airflow did not confirm the stop of a cancelled ticket\'s run');
  else log.info({ dagRunId: record.airflowDagRunId, outcome: outcome.kind }, 'Ticket cancelled; DAG run stop handled');
  const current = s.ticket !== null && s.ticket.requestId === record.requestId;
  const step = await writeFinal(record, current, false, ctx, log, { fresh: true });
  return { ...step, outcome: step.outcome === 'error' ? 'error' : 'cancelled' };
}

/** What the cancellation comment says instead of "stopped", kept as the record's error; null when confirmed. */
function stopProblem(outcome: StopOutcome): string | null {
  switch (outcome.kind) {
    case 'confirmed':
      return null;
    case 'unconfirmed':
      return `Airflow did not confirm the stop: after ${countOf(outcome.rounds, 'attempt')} to mark it failed the run still reads ${outcome.state}. Check it in Airflow and stop it there if it still runs.`;
    case 'already-ended':
      return `the DAG run had already ended (${outcome.state}) when the ticket was cancelled; nothing was changed in Airflow.`;
    case 'not-found':
      return 'The DAG run was not found in Airflow (it never started, or was deleted); nothing was changed there.';
  }
}

/** Intent recorded, then the ticket left Ready to Run before any run started: nothing is started now. */
export async function abandon(s: Situation, ctx: WorkContext, log: Logger): Promise<Step> {
  await ctx.airflowAnswers();
  const record = await ctx.effects.update(s.record as RunRecord, {
    state: 'cancelled',
    error: `The ticket left ${ctx.rules.statuses.ready} before its DAG run was started; none was started.`,
    finishedAt: ctx.clock.now().toISOString(),
  });
  log.info({ dagRunId: record.airflowDagRunId }, 'Request abandoned: the ticket left Ready to Run before a run started');
  const step = await writeFinal(record, false, false, ctx, log, { fresh: true });
  return { ...step, outcome: 'unchanged', detail: `the ticket left ${ctx.rules.statuses.ready} before its run was started; nothing started` };
}
