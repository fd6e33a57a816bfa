import type { SimDagRun, SimTaskState } from './types.js';

export interface RunStateChange {
  now: number;
  /** Whether the run's DAG is paused: a run started over waits for it. */
  paused: boolean;
  /** Whether the scheduler overwrites this run's first stop (clobberFirstStop). */
  clobber: boolean;
}

/**
 * PATCH a run's state: success/failed end it now without a result; queued starts it over. With
 * clobber, the first stop of a run whose task is running leaves the task running, so the
 * scheduler's next loop sets the run back to running (see overwriteStop).
 */
export function patchRunState(run: SimDagRun, wanted: 'success' | 'failed' | 'queued', change: RunStateChange): void {
  const { now } = change;
  run.updatedAt = now;
  if (wanted === 'queued') {
    Object.assign(run, { state: wanted, queuedAt: now, startDate: null, endDate: null, outcome: null, result: undefined });
    Object.assign(run, { taskOverride: null, clobberPending: false, eligibleAt: change.paused ? null : now });
    return;
  }
  const active = run.state === 'queued' || run.state === 'running';
  if (active) run.endDate = now;
  if (wanted === 'failed' && change.clobber && run.state === 'running' && run.taskOverride === null && !run.clobbered) {
    run.clobberPending = true;
    run.clobbered = true;
  }
  run.state = wanted;
}

/** The scheduler's loop after a clobbered stop: the task still runs, so the run is running again. */
export function overwriteStop(run: SimDagRun, now: number): void {
  if (!run.clobberPending) return;
  run.clobberPending = false;
  if (run.taskOverride !== null || run.state !== 'failed') return;
  run.state = 'running';
  run.endDate = null;
  run.updatedAt = now;
}

/**
 * Sets run_pipeline's state through the API. The run has no other task, so while it is unfinished
 * (or its stop is yet to be overwritten) it ends with the task: failed when the task failed, else success,
 * and without a result, since the task never returned. A finished run keeps its state.
 */
export function patchTaskState(run: SimDagRun, wanted: SimTaskState, now: number): void {
  run.taskOverride = wanted;
  const unfinished = run.state === 'queued' || run.state === 'running' || run.clobberPending;
  run.clobberPending = false;
  if (!unfinished) return;
  run.state = wanted === 'failed' ? 'failed' : 'success';
  run.endDate ??= now;
  run.updatedAt = now;
  run.result = undefined;
}
