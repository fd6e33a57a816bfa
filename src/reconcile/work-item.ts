import type { AirflowGateway, Dag, DagRun } from '../airflow/gateway.js';
import type { Clock } from '../clock.js';
import { isUpstreamError } from '../http/errors.js';
import type { JiraGateway } from '../jira/gateway.js';
import type { Ticket } from '../jira/ticket.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { RunRecord } from '../store/run-record.js';
import type { RunStore } from '../store/run-store.js';
import { decide, type Decision, type DecideRules, type Situation } from './decide.js';
import type { Effects } from './effects.js';
import { finalWrite, problemsToText } from './final-write.js';
import { startedComment } from './comments.js';
import { interpretResult } from './result.js';
import type { FieldProblem } from './validate.js';
import type { TicketOutcome, TicketReport } from './summary.js';

export interface WorkContext {
  rules: DecideRules;
  jira: JiraGateway;
  airflow: AirflowGateway;
  store: RunStore;
  effects: Effects;
  clock: Clock;
  log: Logger;
  metrics: Metrics;
  resultTaskId: string;
  /** One DAG lookup per DAG per pass. */
  dags: Map<string, Promise<Dag | null>>;
}

/** Decisions one ticket may take in a pass: confirm, trigger, announce, finish... never a loop. */
const MAX_STEPS = 8;

/**
 * The imperative shell around `decide` for one ticket request: performs each decision, learns what it
 * returns, and asks again until there is nothing more to do this pass.
 */
export async function workItem(start: Situation, ctx: WorkContext): Promise<TicketReport> {
  let situation = start;
  let outcome: TicketOutcome = 'unchanged';
  let detail = '';
  const key = start.ticket?.key ?? start.record?.jiraIssueKey ?? 'unknown';
  const log = ctx.log.child({ issue: key });
  for (let step = 0; step < MAX_STEPS; step++) {
    const decision = decide(situation, ctx.rules);
    log.debug({ decision: decision.kind, requestId: situation.record?.requestId ?? situation.ticket?.requestId }, 'Decision taken');
    const next = await perform(decision, situation, ctx, log);
    if (next.outcome) outcome = next.outcome;
    if (next.detail) detail = next.detail;
    if (!next.situation) break;
    situation = next.situation;
  }
  return {
    issue: key,
    requestId: situation.record?.requestId ?? situation.ticket?.requestId ?? null,
    dagRunId: situation.record?.airflowDagRunId ?? null,
    outcome,
    detail,
  };
}

interface Step {
  situation?: Situation;
  outcome?: TicketOutcome;
  detail?: string;
}

async function perform(decision: Decision, s: Situation, ctx: WorkContext, log: Logger): Promise<Step> {
  switch (decision.kind) {
    case 'none':
    case 'wait':
      return { detail: decision.reason };
    case 'confirm':
      return { situation: await confirm(s, ctx) };
    case 'poll': {
      const record = s.record as RunRecord;
      const dagRun = await ctx.airflow.getDagRun(record.airflowDagId ?? '', record.airflowDagRunId ?? '');
      return { situation: { ...s, dagRun } };
    }
    case 'reject':
      return reject(decision.problems, s, ctx, log);
    case 'trigger':
      return trigger(decision, s, ctx, log);
    case 'announce':
      return announce(decision.dagRun, decision.writeJira, s, ctx, log);
    case 'progress': {
      const record = ctx.effects.update(s.record as RunRecord, { state: decision.dagRun.state });
      if (decision.writeJira) await ctx.effects.updateFields(record.jiraIssueKey, { runStatus: decision.dagRun.state });
      log.info({ dagRunId: record.airflowDagRunId, state: decision.dagRun.state }, 'DAG run state changed');
      return { outcome: asOutcome(decision.dagRun.state), detail: `DAG run is ${decision.dagRun.state}` };
    }
    case 'finish':
      return finish(decision.dagRun, decision.writeJira, decision.move, s, ctx, log);
    case 'lost': {
      const record = ctx.effects.update(s.record as RunRecord, {
        state: 'failed',
        error: 'The DAG run no longer exists in Airflow (deleted, or its DAG was removed).',
        finishedAt: ctx.clock.now().toISOString(),
      });
      countFinished(record, ctx);
      log.warn({ dagRunId: record.airflowDagRunId }, 'DAG run lost in Airflow');
      return writeFinal(record, decision.writeJira, decision.move, ctx, log);
    }
    case 'stop':
      return stop(s, ctx, log);
    case 'write-final':
      return writeFinal(s.record as RunRecord, decision.writeJira, decision.move, ctx, log);
  }
}

async function confirm(s: Situation, ctx: WorkContext): Promise<Situation> {
  const key = s.ticket?.key ?? s.record?.jiraIssueKey ?? '';
  const ticket = await ctx.jira.getTicket(key);
  // The direct read may show a newer request than the search did: weigh the record of that one.
  let record = s.record;
  if (ticket && (!record || record.requestId !== ticket.requestId)) {
    record = ctx.store.findRequest(key, ticket.requestId) ?? (record && !isFinal(record) ? record : null);
  }
  return { ...s, ticket, record, confirmed: true };
}

function isFinal(record: RunRecord): boolean {
  return ['success', 'failed', 'cancelled', 'invalid'].includes(record.state);
}

async function reject(
  problems: readonly FieldProblem[],
  s: Situation,
  ctx: WorkContext,
  log: Logger,
): Promise<Step> {
  const ticket = s.ticket as Ticket;
  const record = ctx.effects.insert({
    jiraIssueKey: ticket.key,
    requestId: ticket.requestId,
    source: ticket.source,
    runType: ticket.runType,
    environment: ticket.environment,
    params: null,
    airflowDagId: null,
    airflowDagRunId: null,
    state: 'invalid',
    error: problemsToText(problems),
  });
  ctx.metrics.rejected.inc({ reason: problems[0]?.reason ?? 'invalid' });
  log.info({ requestId: ticket.requestId, problems: problems.map((p) => p.reason) }, 'Ticket rejected for bad input');
  const step = await writeFinal(record, true, true, ctx, log);
  return { ...step, outcome: step.outcome === 'error' ? 'error' : 'rejected', detail: problemsToText(problems).replaceAll('\n', '; ') };
}

async function trigger(
  decision: Extract<Decision, { kind: 'trigger' }>,
  s: Situation,
  ctx: WorkContext,
  log: Logger,
): Promise<Step> {
  const ticket = s.ticket;
  const key = ticket?.key ?? s.record?.jiraIssueKey ?? '';
  const { request, dagId, dagRunId, conf } = decision;
  let record =
    s.record ??
    ctx.effects.insert({
      jiraIssueKey: key,
      requestId: (ticket as Ticket).requestId,
      source: request.source,
      runType: request.runType,
      environment: request.environment,
      params: JSON.stringify(request.params),
      airflowDagId: dagId,
      airflowDagRunId: dagRunId,
      state: 'pending',
    });
  if (decision.checkDag) {
    const unavailable = await dagUnavailable(dagId, ctx);
    if (unavailable) {
      record = ctx.effects.update(record, { state: 'failed', error: unavailable.message, finishedAt: ctx.clock.now().toISOString() });
      ctx.metrics.rejected.inc({ reason: unavailable.reason });
      log.warn({ dagId, reason: unavailable.reason }, 'DAG unavailable; ticket failed without a run');
      const step = await writeFinal(record, true, true, ctx, log);
      return { ...step, outcome: step.outcome === 'error' ? 'error' : 'rejected', detail: unavailable.message };
    }
  }
  let result;
  try {
    result = await ctx.effects.trigger(key, dagId, dagRunId, conf);
  } catch (error) {
    if (!isUpstreamError(error, 'not_found')) throw error;
    ctx.dags.delete(dagId);
    const message = `The DAG ${dagId} does not exist in Airflow. Deploy it, then move the ticket back to Ready to Run.`;
    record = ctx.effects.update(record, { state: 'failed', error: message, finishedAt: ctx.clock.now().toISOString() });
    ctx.metrics.rejected.inc({ reason: 'dag_missing' });
    return { ...(await writeFinal(record, true, true, ctx, log)), outcome: 'rejected', detail: message };
  }
  let run: DagRun | null;
  let outcome: TicketOutcome;
  if (result.kind === 'created') {
    run = result.run;
    outcome = 'triggered';
    log.info({ dagId, dagRunId, source: request.source }, 'DAG run triggered');
  } else {
    run = await ctx.airflow.getDagRun(dagId, dagRunId);
    outcome = 'adopted';
    log.info({ dagId, dagRunId }, 'DAG run already existed; adopted');
  }
  if (s.record === null || s.record.state === 'pending') ctx.metrics.triggered.inc({ source: request.source });
  const live = run && (run.state === 'queued' || run.state === 'running') ? run.state : 'running';
  record = ctx.effects.update(record, { state: live, startedAt: run?.startDate ?? ctx.clock.now().toISOString() });
  return { situation: { ...s, record, dagRun: run }, outcome, detail: `DAG run ${dagRunId}` };
}

async function dagUnavailable(dagId: string, ctx: WorkContext): Promise<{ reason: 'dag_missing' | 'dag_paused'; message: string } | null> {
  let lookup = ctx.dags.get(dagId);
  if (!lookup) {
    lookup = ctx.airflow.getDag(dagId);
    ctx.dags.set(dagId, lookup);
  }
  const dag = await lookup;
  if (!dag) {
    return { reason: 'dag_missing', message: `The DAG ${dagId} does not exist in Airflow. Deploy it, then move the ticket back to Ready to Run.` };
  }
  if (dag.isPaused) {
    return {
      reason: 'dag_paused',
      message: `The DAG ${dagId} is paused in Airflow, so a run would stay queued. Unpause it, then move the ticket back to Ready to Run.`,
    };
  }
  return null;
}

async function announce(dagRun: DagRun, writeJira: boolean, s: Situation, ctx: WorkContext, log: Logger): Promise<Step> {
  let record = s.record as RunRecord;
  if (writeJira) {
    const dagId = record.airflowDagId ?? dagRun.dagId;
    const dagRunId = record.airflowDagRunId ?? dagRun.dagRunId;
    await ctx.effects.updateFields(record.jiraIssueKey, { airflowRunId: dagRunId, runStatus: dagRun.state });
    await ctx.effects.addComment(
      record.jiraIssueKey,
      startedComment(
        { dagId, dagRunId, uiUrl: ctx.airflow.uiUrl(dagId, dagRunId) },
        { runType: record.runType ?? 'unknown', environment: record.environment ?? 'unknown' },
      ),
    );
  }
  record = ctx.effects.update(record, { jiraPhase: 'started', state: dagRun.state === 'queued' ? 'queued' : 'running', lastProblem: null });
  log.info({ dagRunId: record.airflowDagRunId }, 'Ticket told the run started');
  return { situation: { ...s, record, dagRun } };
}

async function finish(dagRun: DagRun, writeJira: boolean, move: boolean, s: Situation, ctx: WorkContext, log: Logger): Promise<Step> {
  let record = s.record as RunRecord;
  const xcom = await ctx.airflow.getResult(dagRun.dagId, dagRun.dagRunId);
  const result = interpretResult(xcom, ctx.resultTaskId);
  const state = dagRun.state === 'success' && !result.error ? 'success' : 'failed';
  record = ctx.effects.update(record, {
    state,
    platformRunId: result.platformRunId,
    itemCount: result.itemCount,
    error: result.error ?? result.gap,
    startedAt: dagRun.startDate ?? record.startedAt,
    finishedAt: dagRun.endDate ?? ctx.clock.now().toISOString(),
  });
  countFinished(record, ctx);
  log.info(
    { dagRunId: dagRun.dagRunId, state, itemCount: result.itemCount, platformRunId: result.platformRunId, gap: result.gap ?? undefined },
    'DAG run finished',
  );
  return writeFinal(record, writeJira, move, ctx, log);
}

async function stop(s: Situation, ctx: WorkContext, log: Logger): Promise<Step> {
  let record = s.record as RunRecord;
  let stopped = false;
  if (record.airflowDagId && record.airflowDagRunId) {
    try {
      await ctx.effects.stopDagRun(record.jiraIssueKey, record.airflowDagId, record.airflowDagRunId);
      stopped = true;
    } catch (error) {
      if (!isUpstreamError(error, 'not_found')) throw error;
    }
  }
  record = ctx.effects.update(record, {
    state: 'cancelled',
    error: stopped ? null : 'The DAG run was not found in Airflow.',
    finishedAt: ctx.clock.now().toISOString(),
  });
  countFinished(record, ctx);
  log.info({ dagRunId: record.airflowDagRunId, stopped }, 'Ticket cancelled; DAG run stopped');
  const current = s.ticket !== null && s.ticket.requestId === record.requestId;
  const step = await writeFinal(record, current, false, ctx, log);
  return { ...step, outcome: step.outcome === 'error' ? 'error' : 'cancelled' };
}

async function writeFinal(record: RunRecord, writeJira: boolean, move: boolean, ctx: WorkContext, log: Logger): Promise<Step> {
  const key = record.jiraIssueKey;
  const outcome = asOutcome(record.state);
  if (!writeJira) {
    ctx.effects.update(record, { jiraPhase: 'finished', lastProblem: 'the ticket has moved on to a newer request; outcome not written to it' });
    return { outcome, detail: 'outcome recorded; the ticket stands for a newer request' };
  }
  const write = finalWrite(record, (dagId, runId) => ctx.airflow.uiUrl(dagId, runId));
  let detail = `Run Status ${write.fields.runStatus ?? record.state}`;
  if (move && write.target) {
    const status = ctx.rules.statuses[write.target];
    const moved = await ctx.effects.transitionTo(key, status, { fields: write.fields, comment: write.comment });
    if (moved.kind === 'no-transition') {
      const problem = `no transition to "${status}" from the ticket's status (reachable: ${moved.available.join(', ') || 'none'}); fix the workflow`;
      await ctx.effects.updateFields(key, write.fields);
      await ctx.effects.addComment(key, write.comment);
      ctx.effects.update(record, { jiraPhase: 'finished', lastProblem: problem });
      log.error({ status, available: moved.available }, 'No transition to the target status');
      return { outcome: 'error', detail: problem };
    }
    detail += `, moved to ${status}`;
  } else {
    await ctx.effects.updateFields(key, write.fields);
    await ctx.effects.addComment(key, write.comment);
  }
  ctx.effects.update(record, { jiraPhase: 'finished', lastProblem: null });
  log.info({ dagRunId: record.airflowDagRunId, state: record.state }, 'Ticket updated with the outcome');
  return { outcome, detail };
}

function countFinished(record: RunRecord, ctx: WorkContext): void {
  ctx.metrics.finished.inc({ source: record.source ?? 'unknown', state: record.state });
}

function asOutcome(state: string): TicketOutcome {
  switch (state) {
    case 'success':
      return 'succeeded';
    case 'failed':
      return 'failed';
    case 'cancelled':
      return 'cancelled';
    case 'invalid':
      return 'rejected';
    case 'queued':
      return 'queued';
    default:
      return 'running';
  }
}
