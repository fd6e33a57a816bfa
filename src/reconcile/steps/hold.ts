import type { Logger } from '../../observability/logger.js';
import type { Situation } from '../decide.js';
import type { Step, WorkContext } from './step.js';

/**
 * A held ticket (the hold label, or its source suspended): nothing triggered, nothing written to Jira
 * or Airflow. Its record, if any, says so for `runs`; when the hold ends the work resumes where it stopped.
 */
export async function hold(reason: string, s: Situation, ctx: WorkContext, log: Logger): Promise<Step> {
  const record = s.record;
  const note = `held: ${reason}`;
  if (record && record.lastProblem !== note) await ctx.effects.update(record, { lastProblem: note });
  log.debug({ reason }, 'Ticket held; left alone');
  return { outcome: 'held', detail: reason };
}
