import { InputError, intParam, objectBody, optionalBool, optionalString, rejectUnknownKeys } from '../input.js';
import type { AddRoute } from '../routing.js';
import type { AirflowState } from '../state.js';
import { SETTABLE_TASK_STATES, TASK_ID, taskState } from '../task.js';
import type { SimTaskState } from '../types.js';
import { V2 } from './dialect.js';
import { dagNotFound, detail } from './errors.js';
import { taskInstanceV2 } from './views.js';

const BODY_KEYS = ['new_state', 'note', 'include_upstream', 'include_downstream', 'include_future', 'include_past'];
const MASK_FIELDS = ['new_state', 'note'];

/** Airflow 3's PATCH of one task instance: its state (success, failed or skipped) and its note. */
export function addTaskStateRoutesV2(add: AddRoute, state: AirflowState): void {
  add('PATCH', `${V2.prefix}/dags/:dagId/dagRuns/:dagRunId/taskInstances/:taskId`, (req) => {
    const body = objectBody(req.body);
    rejectUnknownKeys(body, BODY_KEYS);
    for (const key of BODY_KEYS.slice(2)) optionalBool(body, key);
    const wanted = body.new_state;
    if (wanted != null && !SETTABLE_TASK_STATES.includes(wanted as never)) {
      throw new InputError(['body', 'new_state'], `Value error, '${typeof wanted === 'string' ? wanted : JSON.stringify(wanted)}' is not one of ['success', 'failed', 'skipped']`, wanted);
    }
    const note = optionalString(body, 'note');
    const mapIndex = intParam(req.query, 'map_index', -1, -1);
    const dagId = req.params.dagId ?? '';
    const dagRunId = req.params.dagRunId ?? '';
    const taskId = req.params.taskId ?? '';
    if (!state.dags.has(dagId)) return dagNotFound(dagId);
    if (taskId !== TASK_ID) return detail(404, `Task '${taskId}' not found in DAG '${dagId}'`);
    const run = state.find(dagId, dagRunId);
    if (!run || mapIndex !== -1) {
      return detail(404, `The Task Instance with dag_id: \`${dagId}\`, run_id: \`${dagRunId}\`, task_id: \`${taskId}\` and map_index: \`${mapIndex}\` was not found`);
    }
    const mask = req.query.getAll('update_mask');
    const unknownMask = mask.find((field) => !MASK_FIELDS.includes(field));
    if (unknownMask !== undefined) return detail(400, `Invalid field in update mask: ${unknownMask}`);
    const applies = (field: string): boolean => mask.length === 0 || mask.includes(field);
    if (wanted != null && applies('new_state')) {
      const target = wanted as SimTaskState;
      if (taskState(run) === target) return detail(409, `Task id ${taskId} is already in ${target} state`);
      state.setTaskState(run, target);
    }
    if (note !== undefined && applies('note')) run.taskNote = note;
    return { status: 200, body: { task_instances: [taskInstanceV2(run)], total_entries: 1 } };
  });
}
