/** Airflow's rule for run ids (CONTRACT §4). */
export const DAG_RUN_ID_PATTERN = /^[A-Za-z0-9_.~:+-]+$/;

/**
 * The DAG run id of one ticket request: deterministic, so a repeated trigger after a crash, a restart or a
 * lost state file hits Airflow's 409 and is adopted instead of starting a second run.
 */
export function dagRunIdFor(issueKey: string, requestId: string): string {
  const id = `jira__${issueKey}__${requestId}`;
  if (!DAG_RUN_ID_PATTERN.test(id)) throw new Error(`cannot build a valid DAG run id from ${issueKey} / ${requestId}`);
  return id;
}
