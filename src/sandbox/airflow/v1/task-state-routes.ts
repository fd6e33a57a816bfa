import type { SimResponse } from '../../common/http.js';
import { formatV1 } from '../dates.js';
import { InputError, objectBody, optionalBool, optionalString, parseDate } from '../input.js';
import type { AddRoute } from '../routing.js';
import type { AirflowState } from '../state.js';
import { SETTABLE_TASK_STATES, TASK_ID, taskState } from '../task.js';
import type { SimDagRun, SimTaskState } from '../types.js';
import { V1 } from './dialect.js';
import { dagNotFound, problem } from './errors.js';

const PREFIX = V1.prefix;
const STATE_KEYS = ['dag_run_id', 'execution_date', 'task_id', 'new_state', 'dry_run', 'include_upstream', 'include_downstream', 'include_future', 'include_past'];

/**
 * Airflow 2's two ways to set a task instance's state. Both default to `dry_run: true`: without
 * `"dry_run": false` they only say what they would change.
 */
export function addTaskStateRoutesV1(add: AddRoute, state: AirflowState): void {
  add('PATCH', `${PREFIX}/dags/:dagId/dagRuns/:dagRunId/taskInstances/:taskId`, (req) => {
    const body = objectBody(req.body);
    const unknown = Object.keys(body).find((key) => key !== 'new_state' && key !== 'dry_run');
    if (unknown !== undefined) throw new InputError(['body', unknown], 'Unknown field.', body[unknown]);
    const wanted = newState(body);
    const dryRun = optionalBool(body, 'dry_run') ?? true;
    const dagId = req.params.dagId ?? '';
    const taskId = req.params.taskId ?? '';
    const dagRunId = req.params.dagRunId ?? '';
    const missing = missingTask(state, dagId, taskId);
    if (missing) return missing;
    const run = state.find(dagId, dagRunId);
    if (!run) return problem(404, 'Not Found', `Task instance not found for task '${taskId}' on DAG run with ID '${dagRunId}'`);
    if (!dryRun) state.setTaskState(run, wanted);
    return { status: 200, body: reference(run) };
  });

  add('POST', `${PREFIX}/dags/:dagId/updateTaskInstancesState`, (req) => {
    const body = objectBody(req.body);
    const unknown = Object.keys(body).find((key) => !STATE_KEYS.includes(key));
    if (unknown !== undefined) throw new InputError(['body', unknown], 'Unknown field.', body[unknown]);
    const wanted = newState(body);
    const dryRun = optionalBool(body, 'dry_run') ?? true;
    const dagId = req.params.dagId ?? '';
    const taskId = optionalString(body, 'task_id') ?? '';
    const dagRunId = optionalString(body, 'dag_run_id');
    const executionDate = optionalString(body, 'execution_date');
    if ((dagRunId == null) === (executionDate == null)) {
      throw new InputError(['body'], 'Exactly one of execution_date or dag_run_id must be provided', body);
    }
    const missing = missingTask(state, dagId, taskId);
    if (missing) return missing;
    const run = dagRunId != null ? state.find(dagId, dagRunId) : runAt(state, dagId, parseDate(executionDate, ['body', 'execution_date']));
    if (!run) {
      const on = dagRunId != null ? `DAG run with ID '${dagRunId}'` : `execution_date ${executionDate ?? ''}`;
      return problem(404, 'Not Found', `Task instance not found for task '${taskId}' on ${on}`);
    }
    // Only the task instances whose state changes are listed (and, without dry_run, changed).
    const affected = taskState(run) === wanted ? [] : [reference(run)];
    if (!dryRun && affected.length > 0) state.setTaskState(run, wanted);
    return { status: 200, body: { task_instances: affected } };
  });
}

/** The run of the DAG with this logical date (Airflow 2 keeps them unique per DAG). */
function runAt(state: AirflowState, dagId: string, logicalDate: number): SimDagRun | undefined {
  return state.runs().find((run) => run.dagId === dagId && (run.logicalDate ?? run.runAfter) === logicalDate);
}

function newState(body: Record<string, unknown>): SimTaskState {
  const wanted = body.new_state;
  if (!SETTABLE_TASK_STATES.includes(wanted as never)) throw new InputError(['body', 'new_state'], 'Must be one of: success, failed, skipped.', wanted);
  return wanted as SimTaskState;
}

function missingTask(state: AirflowState, dagId: string, taskId: string): SimResponse | null {
  if (!state.dags.has(dagId)) return dagNotFound(dagId);
  if (taskId !== TASK_ID) return problem(404, 'Task not found', `Task '${taskId}' not found in DAG '${dagId}'`);
  return null;
}

/** v1 `TaskInstanceReference`. */
function reference(run: SimDagRun): Record<string, unknown> {
  return { task_id: TASK_ID, dag_id: run.dagId, execution_date: formatV1(run.logicalDate ?? run.runAfter), dag_run_id: run.dagRunId };
}
