import type { Ticket } from '../../jira/ticket.js';
import type { Logger } from '../../observability/logger.js';
import type { Decision, Situation } from '../decide.js';
import type { Step, WorkContext } from './step.js';

/**
 * Records a request the store did not know, from its ticket and the run an earlier life started (a lost
 * state file). The run is then followed like any other: its Run Status kept up while live, finished if
 * ended (one outcome comment, no late "started" one), failed as lost if Airflow no longer has it. No slot
 * is taken: a live run holds one already.
 */
export async function adopt(decision: Extract<Decision, { kind: 'adopt' }>, s: Situation, ctx: WorkContext, log: Logger): Promise<Step> {
  const ticket = s.ticket as Ticket;
  const { dagId, dagRunId, dagRun, request } = decision;
  // The state the ticket shows, so a run that moved on since is told (Run Status) like any other.
  const shown = ticket.runStatus === 'queued' || ticket.runStatus === 'running' ? ticket.runStatus : null;
  const live = shown ?? (dagRun && (dagRun.state === 'queued' || dagRun.state === 'running') ? dagRun.state : 'running');
  let record = await ctx.effects.insert({
    jiraIssueKey: ticket.key,
    requestId: ticket.requestId,
    source: request?.source ?? ticket.source,
    runType: request?.runType ?? ticket.runType,
    environment: request?.environment ?? ticket.environment,
    params: request ? JSON.stringify(request.params) : null,
    airflowDagId: dagId,
    airflowDagRunId: dagRunId,
    state: live,
    requestedAt: ticket.requestedAt,
    summary: ticket.summary ?? null,
  });
  // In the running status the trigger's write-back is done: the move there came after its fields and comment.
  record = await ctx.effects.update(record, { jiraPhase: 'started', startedAt: dagRun?.startDate ?? ctx.clock.now().toISOString() });
  // An earlier life may have commented on it: its comments are looked for before posting.
  if (dagRun) ctx.adoptedRuns.add(dagRunId);
  log.info({ dagId, dagRunId, state: dagRun?.state ?? 'missing' }, 'Ticket in the running status unknown to the store; its DAG run adopted');
  return { situation: { ...s, record, dagRun }, outcome: 'adopted', detail: `DAG run ${dagRunId}` };
}
