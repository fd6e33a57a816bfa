import type { Config } from '../config/schema.js';

/** Where a person looks at a run: Airflow 2's grid view, or Airflow 3's run page. */
export function uiUrl(airflow: Pick<Config['airflow'], 'apiVersion' | 'uiBaseUrl'>, dagId: string, dagRunId: string): string {
  const base = airflow.uiBaseUrl.replace(/\/+$/, '');
  const dag = encodeURIComponent(dagId);
  const run = encodeURIComponent(dagRunId);
  return airflow.apiVersion === 'v1' ? `${base}/dags/${dag}/grid?dag_run_id=${run}` : `${base}/dags/${dag}/runs/${run}`;
}
