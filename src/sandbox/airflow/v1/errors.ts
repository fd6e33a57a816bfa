import type { SimResponse } from '../../common/http.js';

const PROBLEM_NAMES: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthenticated',
  403: 'PermissionDenied',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  409: 'AlreadyExists',
};

/** Airflow 2's RFC 7807 problem JSON. */
export function problem(status: number, title: string, detail: string): SimResponse {
  const name = PROBLEM_NAMES[status] ?? 'Unknown';
  return {
    status,
    body: { detail, status, title, type: `https://airflow.apache.org/docs/apache-airflow/2.10.5/stable-rest-api-ref.html#section/Errors/${name}` },
    headers: { 'content-type': 'application/problem+json' },
  };
}

export function dagNotFound(dagId: string): SimResponse {
  return problem(404, 'DAG not found', `DAG with dag_id: '${dagId}' not found`);
}

export function dagRunNotFound(dagId: string, dagRunId: string): SimResponse {
  return problem(404, 'DAGRun not found', `DAGRun with DAG ID: '${dagId}' and DagRun ID: '${dagRunId}' not found`);
}

export function badRequest(detail: string): SimResponse {
  return problem(400, 'Bad Request', detail);
}
