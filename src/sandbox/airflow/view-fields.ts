/** Fields both API versions fill alike for every sim DAG; spread where they stand so key order stays Airflow's. */
export function dagLimitFields(): Record<string, unknown> {
  return {
    tags: [],
    max_active_tasks: 16,
    max_active_runs: 16,
    max_consecutive_failed_dag_runs: 0,
    has_task_concurrency_limits: false,
    has_import_errors: false,
  };
}

/** Where both versions say the sim's one task runs; spread where they stand so key order stays Airflow's. */
export function taskPlacementFields(): Record<string, unknown> {
  return {
    unixname: 'airflow',
    pool: 'default_pool',
    pool_slots: 1,
    queue: 'default',
    priority_weight: 1,
    operator: 'PythonOperator',
  };
}
