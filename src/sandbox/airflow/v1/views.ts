import { formatV1 } from '../dates.js';
import { dumpParams } from '../param-dump.js';
import { TASK_ID, RESULT_KEY, taskDuration, taskEndDate, taskState } from '../task.js';
import type { SimDag, SimDagRun } from '../types.js';
import { dagLimitFields, taskPlacementFields } from '../view-fields.js';

/** GET /dags/{dag_id} in Airflow 2.10 (DAGModel fields). */
export function dagV1(dag: SimDag): Record<string, unknown> {
  return {
    dag_id: dag.dagId,
    dag_display_name: dag.dagId,
    root_dag_id: null,
    is_paused: dag.isPaused,
    is_active: true,
    is_subdag: false,
    last_parsed_time: formatV1(dag.addedAt),
    last_pickled: null,
    last_expired: null,
    scheduler_lock: null,
    pickle_id: null,
    default_view: 'grid',
    fileloc: `/opt/airflow/dags/${dag.dagId}.py`,
    file_token: Buffer.from(dag.dagId).toString('base64url'),
    owners: ['airflow'],
    description: null,
    schedule_interval: null,
    timetable_description: 'Never, external triggers only',
    ...dagLimitFields(),
    next_dagrun: null,
    next_dagrun_data_interval_start: null,
    next_dagrun_data_interval_end: null,
    next_dagrun_create_after: null,
  };
}

/** GET /dags/{dag_id}/details in Airflow 2.10: the DAG plus its parsed attributes and declared params. */
export function dagDetailsV1(dag: SimDag): Record<string, unknown> {
  return {
    ...dagV1(dag),
    catchup: false,
    concurrency: 16,
    dag_run_timeout: null,
    dataset_expression: null,
    doc_md: null,
    end_date: null,
    is_paused_upon_creation: null,
    last_parsed: formatV1(dag.addedAt),
    orientation: 'LR',
    params: dumpParams(dag.params, 'airflow.models.param.Param'),
    render_template_as_native_obj: false,
    start_date: null,
    template_search_path: null,
    timezone: "Timezone('UTC')",
  };
}

export function dagRunV1(run: SimDagRun): Record<string, unknown> {
  const logical = formatV1(run.logicalDate ?? run.runAfter);
  return {
    dag_id: run.dagId,
    dag_run_id: run.dagRunId,
    logical_date: logical,
    execution_date: logical,
    start_date: formatV1(run.startDate),
    end_date: formatV1(run.endDate),
    data_interval_start: logical,
    data_interval_end: logical,
    last_scheduling_decision: formatV1(run.startDate === null ? null : run.updatedAt),
    run_type: run.runType,
    state: run.state,
    external_trigger: true,
    conf: run.conf,
    note: run.note,
  };
}

export function taskInstanceV1(run: SimDagRun): Record<string, unknown> {
  const duration = taskDuration(run);
  return {
    task_id: TASK_ID,
    task_display_name: TASK_ID,
    dag_id: run.dagId,
    dag_run_id: run.dagRunId,
    execution_date: formatV1(run.logicalDate ?? run.runAfter),
    start_date: formatV1(run.startDate),
    end_date: formatV1(taskEndDate(run)),
    duration: duration === null ? null : duration / 1000,
    state: taskState(run),
    try_number: run.startDate === null ? 0 : 1,
    map_index: -1,
    max_tries: 0,
    hostname: run.startDate === null ? '' : 'airflow-worker-0',
    ...taskPlacementFields(),
    queued_when: formatV1(run.queuedAt),
    pid: null,
    executor: null,
    executor_config: '{}',
    sla_miss: null,
    rendered_map_index: null,
    rendered_fields: {},
    trigger: null,
    triggerer_job: null,
    note: run.taskNote,
  };
}

export function xcomV1(run: SimDagRun, value: unknown): Record<string, unknown> {
  return {
    dag_id: run.dagId,
    task_id: TASK_ID,
    key: RESULT_KEY,
    map_index: -1,
    execution_date: formatV1(run.logicalDate ?? run.runAfter),
    timestamp: formatV1(run.endDate ?? run.updatedAt),
    value,
  };
}
