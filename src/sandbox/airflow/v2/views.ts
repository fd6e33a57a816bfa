import { createHash } from 'node:crypto';
import { formatV2 } from '../dates.js';
import { dumpParams } from '../param-dump.js';
import { RESULT_KEY, TASK_ID, taskDuration, taskEndDate, taskState } from '../task.js';
import type { SimDag, SimDagRun } from '../types.js';
import { dagLimitFields, taskPlacementFields } from '../view-fields.js';

/** GET /api/v2/dags/{dag_id} in Airflow 3.2: `is_stale` replaced Airflow 2's `is_active`. */
export function dagV2(dag: SimDag): Record<string, unknown> {
  return {
    dag_id: dag.dagId,
    dag_display_name: dag.dagId,
    is_paused: dag.isPaused,
    is_stale: false,
    last_parsed_time: formatV2(dag.addedAt),
    last_parse_duration: 0.05,
    last_expired: null,
    bundle_name: 'dags-folder',
    bundle_version: null,
    relative_fileloc: `${dag.dagId}.py`,
    fileloc: `/opt/airflow/dags/${dag.dagId}.py`,
    description: null,
    timetable_summary: null,
    timetable_description: 'Never, external triggers only',
    timetable_partitioned: false,
    ...dagLimitFields(),
    next_dagrun_logical_date: null,
    next_dagrun_data_interval_start: null,
    next_dagrun_data_interval_end: null,
    next_dagrun_run_after: null,
    allowed_run_types: null,
    owners: ['airflow'],
    file_token: Buffer.from(dag.dagId).toString('base64url'),
  };
}

/** GET /api/v2/dags/{dag_id}/details in Airflow 3.2: the DAG plus its parsed attributes and declared params. */
export function dagDetailsV2(dag: SimDag): Record<string, unknown> {
  return {
    ...dagV2(dag),
    catchup: false,
    dag_run_timeout: null,
    asset_expression: null,
    doc_md: null,
    start_date: null,
    end_date: null,
    is_paused_upon_creation: null,
    params: dumpParams(dag.params, 'airflow.sdk.definitions.param.Param'),
    render_template_as_native_obj: false,
    template_search_path: null,
    timezone: 'UTC',
    last_parsed: formatV2(dag.addedAt),
    default_args: {},
    owner_links: {},
    is_favorite: false,
    active_runs_count: 0,
    latest_dag_version: dagVersion(dag.dagId, dag.addedAt),
    concurrency: 16,
  };
}

export function dagRunV2(run: SimDagRun): Record<string, unknown> {
  const duration = run.startDate !== null && run.endDate !== null ? (run.endDate - run.startDate) / 1000 : null;
  return {
    dag_run_id: run.dagRunId,
    dag_id: run.dagId,
    dag_display_name: run.dagId,
    logical_date: formatV2(run.logicalDate),
    queued_at: formatV2(run.queuedAt),
    start_date: formatV2(run.startDate),
    end_date: formatV2(run.endDate),
    duration,
    data_interval_start: formatV2(run.logicalDate),
    data_interval_end: formatV2(run.logicalDate),
    run_after: formatV2(run.runAfter),
    last_scheduling_decision: formatV2(run.startDate === null ? null : run.updatedAt),
    run_type: run.runType,
    state: run.state,
    triggered_by: 'rest_api',
    triggering_user_name: null,
    conf: run.conf,
    note: run.note,
    dag_versions: [dagVersion(run.dagId, run.queuedAt)],
    bundle_version: null,
    partition_key: null,
  };
}

export function taskInstanceV2(run: SimDagRun): Record<string, unknown> {
  const duration = taskDuration(run);
  return {
    id: uuidFrom(`${run.dagId}/${run.dagRunId}/${TASK_ID}`),
    task_id: TASK_ID,
    task_display_name: TASK_ID,
    dag_id: run.dagId,
    dag_display_name: run.dagId,
    dag_run_id: run.dagRunId,
    map_index: -1,
    logical_date: formatV2(run.logicalDate),
    run_after: formatV2(run.runAfter),
    start_date: formatV2(run.startDate),
    end_date: formatV2(taskEndDate(run)),
    duration: duration === null ? null : duration / 1000,
    state: taskState(run),
    try_number: run.startDate === null ? 0 : 1,
    max_tries: 0,
    hostname: run.startDate === null ? null : 'airflow-worker-0',
    ...taskPlacementFields(),
    operator_name: 'PythonOperator',
    queued_when: formatV2(run.startDate === null ? null : run.queuedAt),
    scheduled_when: formatV2(run.startDate === null ? null : run.queuedAt),
    pid: null,
    executor: null,
    executor_config: '{}',
    note: run.taskNote,
    rendered_map_index: null,
    rendered_fields: {},
    trigger: null,
    triggerer_job: null,
    dag_version: dagVersion(run.dagId, run.queuedAt),
  };
}

export function xcomV2(run: SimDagRun, value: unknown): Record<string, unknown> {
  return {
    key: RESULT_KEY,
    timestamp: formatV2(run.endDate ?? run.updatedAt),
    logical_date: formatV2(run.logicalDate),
    map_index: -1,
    task_id: TASK_ID,
    dag_id: run.dagId,
    run_id: run.dagRunId,
    dag_display_name: run.dagId,
    task_display_name: TASK_ID,
    run_after: formatV2(run.runAfter),
    value,
  };
}

function dagVersion(dagId: string, createdAt: number): Record<string, unknown> {
  return {
    id: uuidFrom(dagId),
    version_number: 1,
    dag_id: dagId,
    dag_display_name: dagId,
    bundle_name: 'dags-folder',
    bundle_version: null,
    bundle_url: null,
    created_at: formatV2(createdAt),
  };
}

/** A stable UUID-shaped id, so the same DAG or task instance keeps its id across requests. */
function uuidFrom(text: string): string {
  const hex = createHash('sha1').update(text).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
