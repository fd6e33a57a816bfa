import type { Ticket } from '../../jira/ticket.js';
import type { Logger } from '../../observability/logger.js';
import type { Situation } from '../decide.js';
import { problemsToText } from '../final-write.js';
import type { FieldProblem } from '../validate.js';
import type { Step, WorkContext } from './step.js';
import { writeFinal } from './write-final.js';

/** Records a ticket with bad input as invalid and tells it which fields are wrong; no DAG run. */
export async function reject(problems: readonly FieldProblem[], s: Situation, ctx: WorkContext, log: Logger): Promise<Step> {
  const ticket = s.ticket as Ticket;
  const record = await ctx.effects.insert({
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
    requestedAt: ticket.requestedAt,
    summary: ticket.summary ?? null,
  });
  ctx.metrics.rejected.inc({ reason: problems[0]?.reason ?? 'invalid' });
  log.info({ requestId: ticket.requestId, problems: problems.map((p) => p.reason) }, 'Ticket rejected for bad input');
  const step = await writeFinal(record, true, true, ctx, log, { fresh: true });
  return { ...step, outcome: step.outcome === 'error' ? 'error' : 'rejected', detail: problemsToText(problems).replaceAll('\n', '; ') };
}
