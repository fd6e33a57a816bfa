/** The default accounts of the simulators (see startJiraSim and startAirflowSim). */
export const SIM_JIRA_USER = { email: 'bot@example.com', token: 'sim-token' };
export const SIM_AIRFLOW_USER = { username: 'admin', password: 'admin' };

/** The environment that points the reconciler at a pair of simulators, as an operator would set it. */
export function simEnv(jiraUrl: string, airflowUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    JIRA_BASE_URL: jiraUrl,
    JIRA_USERNAME: SIM_JIRA_USER.email,
    JIRA_API_TOKEN: SIM_JIRA_USER.token,
    JIRA_PROJECTS: 'SCR',
    AIRFLOW_BASE_URL: airflowUrl,
    AIRFLOW_USER: SIM_AIRFLOW_USER.username,
    AIRFLOW_PASS: SIM_AIRFLOW_USER.password,
    ...extra,
  };
}
