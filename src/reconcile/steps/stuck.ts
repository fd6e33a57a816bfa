import type { DagRun } from '../../airflow/gateway.js';
import type { Logger } from '../../observability/logger.js';
import type { RunRecord } from '../../store/run-record.js';
import { stuckComment } from '../comments.js';
import type { Situation } from '../decide.js';
import { countOf } from '../../words.js';
import type { Step, WorkContext } from './step.js';

/**
 * The watchdog: a run queued or running past its limit gets one comment (how long, in which state, the
 * Airflow link; a paused DAG named as the likely cause of a queued run) and a `stuck` notification.
 */
export async function stuck(dagRun: DagRun, minutes: number, s: Situation, ctx: WorkContext, log: Logger): Promise<Step> {
  const record = s.record as RunRecord;
  const dagId = record.airflowDagId ?? dagRun.dagId;
  const dagRunId = record.airflowDagRunId ?? dagRun.dagRunId;
  let cause: string | null = null;
  if (dagRun.state === 'queued') {
    let lookup = ctx.dags.get(dagId);
    if (!lookup) {
      lookup = ctx.airflow.getDag(dagId);
      ctx.dags.set(dagId, lookup);
    }
    const dag = await lookup;
    if (dag?.isPaused) cause = `The DAG ${dagId} is paused in Airflow: a paused DAG starts no run. Unpause it, or cancel the ticket.`;
  }
  const comment = stuckComment({ dagId, dagRunId, uiUrl: ctx.airflow.uiUrl(dagId, dagRunId) }, dagRun.state === 'queued' ? 'queued' : 'running', minutes, cause);
  // The look for an earlier copy: a crash between the comment and the record would otherwise repeat it.
  await ctx.effects.updateFields(record.jiraIssueKey, {}, { comment, knownAbsent: false });
  const state = dagRun.state === 'queued' ? 'queued' : 'running';
  const time = countOf(minutes, 'minute');
  await ctx.effects.updateAndNotify(
    record,
    { stuckAt: ctx.clock.now().toISOString() },
    ctx.notificationsFor(record, { event: 'stuck', detail: cause ?? `${state} for ${time}`, stuck: { state, minutes }, occurrence: state }),
  );
  log.warn({ dagRunId, state, minutes, pausedDag: cause !== null }, 'DAG run looks stuck; ticket told');
  return { outcome: state, detail: `DAG run ${state} for ${time}` };
}
