import type { SimDagRun } from './types.js';

/** The one task every simulated DAG has; its return value is the run's result. */
export const TASK_ID = 'run_pipeline';
export const RESULT_KEY = 'return_value';

export type TaskState = 'running' | 'success' | 'failed' | 'skipped' | null;

/** The task follows its run: no state while queued, and a run stopped before it started skips it. */
export function taskState(run: SimDagRun): TaskState {
  if (run.state === 'queued') return null;
  if (run.state === 'running') return 'running';
  if (run.startDate === null) return run.state === 'failed' ? 'skipped' : 'success';
  return run.state;
}

/** ms the task ran, null until it ended. */
export function taskDuration(run: SimDagRun): number | null {
  return run.startDate !== null && run.endDate !== null ? run.endDate - run.startDate : null;
}
