import type { SimDagRun } from './types.js';

/** The one task every simulated DAG has; its return value is the run's result. */
export const TASK_ID = 'run_pipeline';
export const RESULT_KEY = 'return_value';

export type TaskState = 'running' | 'success' | 'failed' | 'skipped' | null;

/**
 * The task follows its run unless its state was set through the API: no state while queued, a run
 * stopped before it started skips it, and a stop the scheduler is yet to overwrite leaves it running.
 */
export function taskState(run: SimDagRun): TaskState {
  if (run.taskOverride !== null) return run.taskOverride;
  if (run.clobberPending) return 'running';
  if (run.state === 'queued') return null;
  if (run.state === 'running') return 'running';
  if (run.startDate === null) return run.state === 'failed' ? 'skipped' : 'success';
  return run.state;
}

/** When the task ended: null while it runs, even when its run was just stopped. */
export function taskEndDate(run: SimDagRun): number | null {
  return run.clobberPending ? null : run.endDate;
}

/** ms the task ran, null until it ended. */
export function taskDuration(run: SimDagRun): number | null {
  const end = taskEndDate(run);
  return run.startDate !== null && end !== null ? end - run.startDate : null;
}

/** The states the API may give a task instance. */
export const SETTABLE_TASK_STATES = ['success', 'failed', 'skipped'] as const;
