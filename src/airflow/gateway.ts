export type DagRunState = 'queued' | 'running' | 'success' | 'failed';

export interface Dag {
  dagId: string;
  isPaused: boolean;
  isActive: boolean | null;
}

export interface DagRun {
  dagId: string;
  dagRunId: string;
  state: DagRunState;
  /** ISO timestamps or null. */
  startDate: string | null;
  endDate: string | null;
}

export interface RunConf {
  jira_issue_key: string;
  source: string;
  run_type: string;
  params: Record<string, unknown>;
  environment: string;
}

export type TriggerOutcome = { kind: 'created'; run: DagRun } | { kind: 'exists' };

/** The result XCom of the pipeline task: the raw value, or missing. Interpretation is the engine's. */
export type ResultXcom = { kind: 'found'; value: unknown } | { kind: 'missing'; reason: string };

/** The Airflow port (v1 = Airflow 2, v2 = Airflow 3). Errors are UpstreamError (src/http/errors.ts). */
export interface AirflowGateway {
  /** null when the DAG does not exist. */
  getDag(dagId: string): Promise<Dag | null>;
  /** Triggers a run; a 409 (the id exists) is `exists`, never an error. */
  trigger(dagId: string, dagRunId: string, conf: RunConf): Promise<TriggerOutcome>;
  /** null when the run does not exist. */
  getDagRun(dagId: string, dagRunId: string): Promise<DagRun | null>;
  /**
   * Many runs in as few requests as possible (batch list, 100 a page). Runs not found are left out.
   * `since` bounds the search (the earliest start among the asked runs).
   */
  getDagRuns(runs: ReadonlyArray<{ dagId: string; dagRunId: string }>, since: Date): Promise<DagRun[]>;
  /**
   * The change feed: runs of these DAGs that started or ended at or after `since` (batch list, all
   * pages; two requests when nothing changed).
   */
  getChangedDagRuns(dagIds: readonly string[], since: Date): Promise<DagRun[]>;
  /** The XCom of the result task (Airflow 2: stringify=false). */
  getResult(dagId: string, dagRunId: string): Promise<ResultXcom>;
  /** Stops a run by marking it failed. */
  stopDagRun(dagId: string, dagRunId: string): Promise<void>;
  /** Link to the run in Airflow's UI. */
  uiUrl(dagId: string, dagRunId: string): string;
  /** Airflow's version string (doctor). */
  version(): Promise<string>;
}
