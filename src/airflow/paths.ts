/** Paths below the API prefix (`/api/v1` or `/api/v2`); every id is encoded as one path segment. */

const segment = encodeURIComponent;

export function dagPath(dagId: string): string {
  return `/dags/${segment(dagId)}`;
}

export function dagRunsPath(dagId: string): string {
  return `${dagPath(dagId)}/dagRuns`;
}

export function dagRunPath(dagId: string, dagRunId: string): string {
  return `${dagRunsPath(dagId)}/${segment(dagRunId)}`;
}

export function xcomEntryPath(dagId: string, dagRunId: string, taskId: string, xcomKey: string): string {
  return `${dagRunPath(dagId, dagRunId)}/taskInstances/${segment(taskId)}/xcomEntries/${segment(xcomKey)}`;
}

/** `~` stands for "all DAGs"; both versions only accept it literally here. */
export const DAG_RUNS_BATCH_PATH = '/dags/~/dagRuns/list';

export const VERSION_PATH = '/version';
