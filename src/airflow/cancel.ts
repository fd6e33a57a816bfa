import type { Logger } from 'pino';
import { z } from 'zod';
import type { Clock } from '../clock.js';
import { isUpstreamError } from '../http/errors.js';
import { StoppedError } from '../http/retry.js';
import { TaskInstanceCollection, type TaskInstance } from './cancel-schema.js';
import type { AirflowClient } from './client.js';
import type { DagRunState, StopOutcome } from './gateway.js';
import { dagRunPath } from './paths.js';
import { DagRun } from './schema.js';

export interface VerifiedStopDeps {
  client: AirflowClient;
  apiVersion: 'v1' | 'v2';
  clock: Clock;
  log: Logger;
  /** Rounds of stop and read-back before giving up; default 3. */
  maxRounds?: number;
  /**
   * Wait before each read-back, so the scheduler's next loop has had its say: a read at once after
   * the PATCH shows what the PATCH wrote, not whether it held. Default 2000 ms.
   */
  settleMs?: number;
  /** The process is stopping: the wait before a read-back is dropped and the stop left to the next start (StoppedError). */
  signal?: AbortSignal;
}

/** Task states in which a task instance still holds or wants a worker; the ones a stop marks failed. */
const ACTIVE_TASK_STATES = new Set(['running', 'queued', 'scheduled', 'deferred', 'up_for_retry', 'up_for_reschedule', 'restarting']);
const TASK_PAGE = 100;
/** At most this many pages of task instances are read per round (a DAG with more is not one we run). */
const MAX_TASK_PAGES = 10;

/**
 * Stops a DAG run and checks that the stop held. Airflow's scheduler can set a run back to running
 * while its tasks still run, so each round sets the run failed, marks its active task instances
 * failed, waits, and reads the run back, until it reads failed or the rounds run out.
 */
export type { StopOutcome } from './gateway.js';

export async function verifiedStop(deps: VerifiedStopDeps, dagId: string, dagRunId: string): Promise<StopOutcome> {
  const maxRounds = deps.maxRounds ?? 3;
  const log = deps.log.child({ dagId, dagRunId });
  const first = await readRun(deps, dagId, dagRunId);
  if (!first) return { kind: 'not-found' };
  if (first.state === 'success' || first.state === 'failed') {
    log.info({ state: first.state }, 'DAG run had already ended; nothing to stop');
    return { kind: 'already-ended', state: first.state };
  }
  let tasksMarked = 0;
  let state: DagRunState = first.state;
  for (let round = 1; round <= maxRounds; round++) {
    if (!(await patchRunFailed(deps, dagId, dagRunId))) return { kind: 'not-found' };
    tasksMarked += await failActiveTasks(deps, log, dagId, dagRunId);
    await deps.clock.sleep(deps.settleMs ?? 2000, deps.signal);
    // The stop was sent but not read back: the record says so (STOP_SENT), and the next start reads it back.
    if (deps.signal?.aborted) throw new StoppedError('airflow');
    const run = await readRun(deps, dagId, dagRunId);
    if (!run) return { kind: 'not-found' };
    state = run.state;
    if (state === 'failed') {
      log.info({ rounds: round, tasksMarked }, 'DAG run stop confirmed');
      return { kind: 'confirmed', rounds: round, tasksMarked };
    }
    // A run that finished on its own is over: setting it failed now would rewrite its outcome.
    if (state === 'success') {
      log.warn({ rounds: round }, 'DAG run finished successfully before the stop took');
      return { kind: 'unconfirmed', rounds: round, state, tasksMarked };
    }
    log.warn({ round, state }, 'DAG run does not read failed after the stop; stopping it again');
  }
  log.warn({ rounds: maxRounds, state }, 'DAG run stop not confirmed');
  return { kind: 'unconfirmed', rounds: maxRounds, state, tasksMarked };
}

async function readRun(deps: VerifiedStopDeps, dagId: string, dagRunId: string): Promise<DagRun | null> {
  try {
    return await deps.client.send({ method: 'GET', path: dagRunPath(dagId, dagRunId) }, DagRun);
  } catch (error) {
    if (isUpstreamError(error, 'not_found')) return null;
    throw error;
  }
}

/** false when the run is gone. Only `state` is sent, so Airflow 3 needs no update_mask. */
async function patchRunFailed(deps: VerifiedStopDeps, dagId: string, dagRunId: string): Promise<boolean> {
  try {
    await deps.client.send({ method: 'PATCH', path: dagRunPath(dagId, dagRunId), data: { state: 'failed' } }, z.unknown());
    return true;
  } catch (error) {
    if (isUpstreamError(error, 'not_found')) return false;
    throw error;
  }
}

/** Marks each active task instance failed; returns how many Airflow took. */
async function failActiveTasks(deps: VerifiedStopDeps, log: Logger, dagId: string, dagRunId: string): Promise<number> {
  let marked = 0;
  for (const task of await activeTasks(deps, dagId, dagRunId)) {
    // Airflow 2 only changes anything with dry_run false (its default is true); Airflow 3 has no such key.
    const data = deps.apiVersion === 'v1' ? { new_state: 'failed', dry_run: false } : { new_state: 'failed' };
    try {
      await deps.client.send({ method: 'PATCH', path: taskInstancePath(dagId, dagRunId, task), data }, z.unknown());
      marked += 1;
    } catch (error) {
      // The task may have ended or gone meanwhile (404, or 409 "already failed" in Airflow 3); the read-back decides.
      if (!isUpstreamError(error, 'not_found') && !isUpstreamError(error, 'conflict') && !isUpstreamError(error, 'bad_request')) throw error;
      log.debug({ taskId: task.task_id, reason: error.message }, 'Airflow did not mark the task instance failed');
    }
  }
  return marked;
}

async function activeTasks(deps: VerifiedStopDeps, dagId: string, dagRunId: string): Promise<TaskInstance[]> {
  const found: TaskInstance[] = [];
  for (let page = 0; page < MAX_TASK_PAGES; page++) {
    const params = { limit: TASK_PAGE, offset: found.length };
    let body: TaskInstanceCollection;
    try {
      body = await deps.client.send({ method: 'GET', path: `${dagRunPath(dagId, dagRunId)}/taskInstances`, params }, TaskInstanceCollection);
    } catch (error) {
      // Airflow 3 answers 404 for a run that is gone; the read-back says so.
      if (isUpstreamError(error, 'not_found')) break;
      throw error;
    }
    found.push(...body.task_instances);
    const total = body.total_entries;
    if (body.task_instances.length < TASK_PAGE || (total !== undefined && found.length >= total)) break;
  }
  return found.filter((task) => ACTIVE_TASK_STATES.has(task.state ?? ''));
}

/** A mapped task instance is addressed by its map index as well. */
function taskInstancePath(dagId: string, dagRunId: string, task: TaskInstance): string {
  const base = `${dagRunPath(dagId, dagRunId)}/taskInstances/${encodeURIComponent(task.task_id)}`;
  return task.map_index !== undefined && task.map_index >= 0 ? `${base}/${task.map_index}` : base;
}
