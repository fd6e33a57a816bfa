import { resultOf } from './plans.js';
import type { PlannedOutcome, SimDagRun } from './types.js';

export interface Timing {
  queuedMs: number;
  runningMs: number;
}

export interface LifecycleContext {
  now: number;
  timing: Timing;
  /** The outcome for a run that starts now. */
  startOutcome: (run: SimDagRun) => PlannedOutcome;
  /** Numbers a finished run (1, 2, ...), for its platform run id. */
  nextFinished: () => number;
}

/**
 * Moves one run along queued → running → success/failed as far as the clock allows. Transitions are
 * dated when they were due, not when this ran, so a lazy tick after a clock jump tells the same story.
 */
export function advanceRun(run: SimDagRun, ctx: LifecycleContext): void {
  if (run.state === 'queued') {
    if (run.eligibleAt === null) return;
    const startAt = run.eligibleAt + ctx.timing.queuedMs;
    if (ctx.now < startAt) return;
    run.state = 'running';
    run.startDate = startAt;
    run.updatedAt = startAt;
    run.outcome = ctx.startOutcome(run);
  }
  if (run.state === 'running' && run.startDate !== null) {
    const outcome = run.outcome ?? { state: 'success' };
    const endAt = run.startDate + (outcome.durationMs ?? ctx.timing.runningMs);
    if (ctx.now < endAt) return;
    run.state = outcome.state;
    run.endDate = endAt;
    run.updatedAt = endAt;
    run.result = resultOf(outcome, ctx.nextFinished(), endAt);
  }
}
