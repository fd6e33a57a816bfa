import type { DagRun } from '../../airflow/gateway.js';
import { isUpstreamError } from '../../http/errors.js';
import type { Ticket } from '../../jira/ticket.js';
import type { NewRunRecord } from '../../store/run-record.js';
import type { Logger } from '../../observability/logger.js';
import type { Decision, Situation } from '../decide.js';
import type { TicketOutcome } from '../summary.js';
import { waitingComment } from '../comments.js';
import { firstRunId } from '../retry.js';
import type { RejectReason } from '../validate.js';
import type { Step, WorkContext } from './step.js';
import { writeFinal } from './write-final.js';

/**
 * Records the intent, then triggers the DAG run under its deterministic id: Airflow's 409 on a repeat
 * means the run exists, and it is adopted instead of started twice.
 */
export async function trigger(decision: Extract<Decision, { kind: 'trigger' }>, s: Situation, ctx: WorkContext, log: Logger): Promise<Step> {
  const ticket = s.ticket;
  const key = ticket?.key ?? s.record?.jiraIssueKey ?? '';
  const { request, dagId, dagRunId, conf } = decision;
  // The slot is taken before anything else is awaited: the pass works requests in the order they came, so
  // the slots go first come, first served (a request refused below leaves its slot unused this pass).
  // A ticket that already shows this request's run was started before (a lost state file): its run holds
  // its slot already, or has ended and holds none, and the trigger below only adopts it.
  const startedBefore = ticket?.airflowRunId != null && firstRunId(ticket.airflowRunId) === dagRunId;
  const slot = (!s.record && !startedBefore) || s.record?.state === 'waiting' ? await ctx.slots.take(request.environment, request.source, dagRunId) : true;
  // Checked before the intent is recorded: a pending record is re-triggered without a check, so it must
  // only exist once the DAG was seen fit (an Airflow outage here leaves no record, and the check is redone).
  const unavailable = decision.checkDag ? ((await dagUnavailable(dagId, ctx)) ?? (await paramsRefused(dagId, conf.params, ctx))) : null;
  if (!unavailable && !slot) {
    return s.record ? { outcome: 'waiting', detail: 'waiting for a free slot' } : wait(decision, s, ctx, log);
  }
  let record =
    (s.record?.state === 'waiting' ? await ctx.effects.update(s.record, { state: 'pending' }) : s.record) ??
    await ctx.effects.insert(newRecord(ticket as Ticket, decision, 'pending'));
  if (unavailable) {
    record = await ctx.effects.update(record, { state: 'failed', error: unavailable.message, finishedAt: ctx.clock.now().toISOString() });
    ctx.metrics.rejected.inc({ reason: unavailable.reason });
    log.warn({ dagId, reason: unavailable.reason }, 'DAG unavailable; ticket failed without a run');
    const step = await writeFinal(record, true, true, ctx, log, { fresh: true });
    return { ...step, outcome: step.outcome === 'error' ? 'error' : 'rejected', detail: unavailable.message };
  }
  let result;
  try {
    result = await ctx.effects.trigger(key, dagId, dagRunId, conf);
  } catch (error) {
    const refusal = await refusalOf(error, dagId, ctx);
    if (!refusal) throw error;
    record = await ctx.effects.update(record, { state: 'failed', error: refusal.message, finishedAt: ctx.clock.now().toISOString() });
    ctx.metrics.rejected.inc({ reason: refusal.reason });
    log.warn({ dagId, dagRunId, reason: refusal.reason, err: error }, 'Airflow refused the trigger; ticket failed without a run');
    return { ...(await writeFinal(record, true, true, ctx, log, { fresh: true })), outcome: 'rejected', detail: refusal.message };
  }
  let run: DagRun | null;
  let outcome: TicketOutcome;
  if (result.kind === 'created') {
    run = result.run;
    outcome = 'triggered';
    // Counted when Airflow created the run: an adopted run (409) was counted by whoever created it.
    ctx.metrics.triggered.inc({ source: request.source });
    ctx.createdRuns.add(dagRunId);
    log.info({ dagId, dagRunId, source: request.source }, 'DAG run triggered');
  } else {
    run = await ctx.airflow.getDagRun(dagId, dagRunId);
    outcome = 'adopted';
    ctx.adoptedRuns.add(dagRunId);
    log.info({ dagId, dagRunId }, 'DAG run already existed; adopted');
  }
  const live = run && (run.state === 'queued' || run.state === 'running') ? run.state : 'running';
  record = await ctx.effects.update(record, { state: live, startedAt: run?.startDate ?? ctx.clock.now().toISOString(), ...(record.dueAt ? { dueAt: null } : {}) });
  return { situation: { ...s, record, dagRun: run }, outcome, detail: `DAG run ${dagRunId}` };
}

/** A new request over a cap: Run Status waiting and one comment first, then its record (a crash in between repeats neither). */
async function wait(decision: Extract<Decision, { kind: 'trigger' }>, s: Situation, ctx: WorkContext, log: Logger): Promise<Step> {
  const ticket = s.ticket as Ticket;
  const { request, dagRunId } = decision;
  await ctx.effects.updateFields(ticket.key, { runStatus: 'waiting' }, { comment: waitingComment(dagRunId, request.environment, request.source), knownAbsent: false });
  await ctx.effects.insert(newRecord(ticket, decision, 'waiting'));
  log.info({ dagRunId, environment: request.environment, source: request.source }, 'Request over an in-flight cap; waiting for a slot');
  return { outcome: 'waiting', detail: 'waiting for a free slot' };
}

/** The record of a new request about to start (pending) or to wait for a slot. */
function newRecord(ticket: Ticket, decision: Extract<Decision, { kind: 'trigger' }>, state: 'pending' | 'waiting'): NewRunRecord {
  const { request } = decision;
  return {
    jiraIssueKey: ticket.key,
    requestId: ticket.requestId,
    source: request.source,
    runType: request.runType,
    environment: request.environment,
    params: JSON.stringify(request.params),
    airflowDagId: decision.dagId,
    airflowDagRunId: decision.dagRunId,
    state,
    requestedAt: ticket.requestedAt,
    summary: ticket.summary ?? null,
  };
}

async function dagUnavailable(dagId: string, ctx: WorkContext): Promise<{ reason: RejectReason; message: string } | null> {
  let lookup = ctx.dags.get(dagId);
  if (!lookup) {
    lookup = ctx.airflow.getDag(dagId);
    ctx.dags.set(dagId, lookup);
  }
  const dag = await lookup;
  const { ready } = ctx.rules.statuses;
  if (!dag) {
    await ctx.airflowAnswers();
    return { reason: 'dag_missing', message: missingDagMessage(dagId, ready) };
  }
  if (dag.isPaused) {
    return {
      reason: 'dag_paused',
      message: `The DAG ${dagId} is paused in Airflow, so a run would stay queued. Unpause it, then move the ticket back to ${ready}.`,
    };
  }
  return null;
}

/** With `airflow.checkDagParams`, the DAG's declared params are checked before a run is asked for. */
async function paramsRefused(
  dagId: string,
  params: Readonly<Record<string, unknown>>,
  ctx: WorkContext,
): Promise<{ reason: RejectReason; message: string } | null> {
  if (!ctx.checkDagParams) return null;
  const problems = await ctx.airflow.checkDagParams(dagId, params);
  if (!problems || problems.length === 0) return null;
  return {
    reason: 'trigger_refused',
    message: `The ticket's Parameters do not fit the params the DAG ${dagId} declares: ${problems.join('; ')}. Fix Parameters, then move the ticket back to ${ctx.rules.statuses.ready}.`,
  };
}

/**
 * A trigger Airflow answers with 404 (the DAG is gone; believed once Airflow is seen to answer at all) or
 * 400/422 (it refuses the run, e.g. the conf fails the DAG's params) fails the ticket with the reason.
 * Anything else is not about this ticket and is thrown.
 */
async function refusalOf(error: unknown, dagId: string, ctx: WorkContext): Promise<{ reason: RejectReason; message: string } | null> {
  if (isUpstreamError(error, 'not_found')) {
    await ctx.airflowAnswers();
    ctx.dags.delete(dagId);
    return { reason: 'dag_missing', message: missingDagMessage(dagId, ctx.rules.statuses.ready) };
  }
  if (isUpstreamError(error, 'bad_request')) {
    return {
      reason: 'trigger_refused',
      message: `Airflow refused to start a run of ${dagId} (${error.message}). Check the DAG's params against the ticket's Parameters, then move the ticket back to ${ctx.rules.statuses.ready}.`,
    };
  }
  return null;
}

function missingDagMessage(dagId: string, ready: string): string {
  return `The DAG ${dagId} does not exist in Airflow. Deploy it, then move the ticket back to ${ready}.`;
}
