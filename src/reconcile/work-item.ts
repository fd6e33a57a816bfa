import type { Logger } from '../observability/logger.js';
import { FINAL_STATES, type RunRecord } from '../store/run-record.js';
import { decide, type Decision, type Situation } from './decide.js';
import { adopt } from './steps/adopt.js';
import { abandon, finish, lost, stop } from './steps/finish.js';
import { announce, progress } from './steps/follow.js';
import { hold } from './steps/hold.js';
import { reject } from './steps/reject.js';
import { stuck } from './steps/stuck.js';
import { announceRetry } from './steps/retry.js';
import type { Step, WorkContext } from './steps/step.js';
import { trigger } from './steps/trigger.js';
import { writeFinal } from './steps/write-final.js';
import type { TicketOutcome, TicketReport } from './summary.js';

export type { WorkContext } from './steps/step.js';

/** Decisions one ticket may take in a pass: confirm, trigger, announce, finish... never a loop. */
const MAX_STEPS = 8;

/**
 * The imperative shell around `decide` for one ticket request: performs each decision, learns what it
 * returns, and asks again until there is nothing more to do this pass.
 */
export async function workItem(start: Situation, passCtx: WorkContext): Promise<TicketReport> {
  let situation = start;
  let outcome: TicketOutcome = 'unchanged';
  let detail = '';
  const key = start.ticket?.key ?? start.record?.jiraIssueKey ?? 'unknown';
  const ctx: WorkContext = { ...passCtx, rules: passCtx.rulesFor(key) };
  const log = ctx.log.child({ issue: key });
  for (let step = 0; step < MAX_STEPS; step++) {
    const decision = decide({ ...situation, now: ctx.clock.now() }, ctx.rules);
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

async function perform(decision: Decision, s: Situation, ctx: WorkContext, log: Logger): Promise<Step> {
  switch (decision.kind) {
    case 'none':
    case 'wait':
      return { detail: decision.reason };
    case 'confirm':
      return { situation: await confirm(s, ctx) };
    case 'find':
      return { situation: { ...s, dagRun: await ctx.airflow.getDagRun(decision.dagId, decision.dagRunId) } };
    case 'adopt':
      return adopt(decision, s, ctx, log);
    case 'poll': {
      const record = s.record as RunRecord;
      const dagRun = await ctx.airflow.getDagRun(record.airflowDagId ?? '', record.airflowDagRunId ?? '');
      return { situation: { ...s, dagRun } };
    }
    case 'reject':
      return reject(decision.problems, s, ctx, log);
    case 'trigger':
      return trigger(decision, s, ctx, log);
    case 'hold':
      return hold(decision.reason, s, ctx, log);
    case 'stuck':
      return stuck(decision.dagRun, decision.minutes, s, ctx, log);
    case 'announce-retry':
      return announceRetry(s, ctx, log);
    case 'announce':
      return announce(decision.dagRun, decision.writeJira, s, ctx, log);
    case 'progress':
      return progress(decision.dagRun, decision.writeJira, s, ctx, log);
    case 'finish':
      return finish(decision.dagRun, decision.writeJira, decision.move, s, ctx, log, decision.cancelledAfterEnd ?? false);
    case 'lost':
      return lost(decision.writeJira, decision.move, s, ctx, log);
    case 'stop':
      return stop(s, ctx, log);
    case 'abandon':
      return abandon(s, ctx, log);
    case 'write-final':
      return writeFinal(s.record as RunRecord, decision.writeJira, decision.move, ctx, log, { fresh: false });
  }
}

/** Reads the ticket directly; the read may show a newer request than the search did, so its record is weighed. */
async function confirm(s: Situation, ctx: WorkContext): Promise<Situation> {
  const key = s.ticket?.key ?? s.record?.jiraIssueKey ?? '';
  const ticket = await ctx.jira.getTicket(key);
  let record = s.record;
  if (ticket && (!record || record.requestId !== ticket.requestId)) {
    record = (await ctx.store.findRequest(key, ticket.requestId)) ?? (record && !FINAL_STATES.has(record.state) ? record : null);
  }
  return { ...s, ticket, record, confirmed: true };
}
