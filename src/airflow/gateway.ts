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

/** A queued or running run started for a ticket (its conf names the issue): it holds an in-flight slot. */
export interface InFlightRun {
  dagId: string;
  dagRunId: string;
  issueKey: string;
  /** From the run's conf; null when it does not say. */
  source: string | null;
  environment: string | null;
}

export interface RunConf {
  jira_issue_key: string;
  source: string;
  run_type: string;
  params: Record<string, unknown>;
  environment: string;
}

/** How a verified stop ended. */
export type StopOutcome =
  /** The run reads failed after `rounds` rounds of stopping it. */
  | { kind: 'confirmed'; rounds: number; tasksMarked: number }
  /** The run still does not read failed: `running` after the last round, or `success` when it finished first. */
  | { kind: 'unconfirmed'; rounds: number; state: DagRunState; tasksMarked: number }
  /** The run had ended before the stop; nothing was changed in Airflow. */
  | { kind: 'already-ended'; state: 'success' | 'failed' }
  | { kind: 'not-found' };

export type TriggerOutcome = { kind: 'created'; run: DagRun } | { kind: 'exists' };

/** The result XCom of the pipeline task: the raw value, or missing. Interpretation is the engine's. */
export type ResultXcom = { kind: 'found'; value: unknown } | { kind: 'missing'; reason: string };

/** The Airflow port (v1 = Airflow 2, v2 = Airflow 3). Errors are UpstreamError (src/http/errors.ts). */
export interface AirflowGateway {
  /** null when the DAG does not exist. */
  getDag(dagId: string): Promise<Dag | null>;
  /**
   * `conf.params` checked against the params the DAG declares (required ones without a default, their
   * JSON schemas): the problems in plain words, empty when they fit; null when the DAG does not exist.
   */
  checkDagParams(dagId: string, params: Readonly<Record<string, unknown>>): Promise<string[] | null>;
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
  /** The queued and running runs of these DAGs whose conf names a Jira issue (batch list, all pages). */
  getInFlightRuns(dagIds: readonly string[]): Promise<InFlightRun[]>;
  /** The XCom of the result task (Airflow 2: stringify=false). */
  getResult(dagId: string, dagRunId: string): Promise<ResultXcom>;
  /**
   * Stops a run and checks that the stop held: the run and its active task instances set failed, read
   * back until Airflow confirms it (the scheduler can set a run back while its tasks still run).
   */
  stopDagRun(dagId: string, dagRunId: string): Promise<StopOutcome>;
  /** Link to the run in Airflow's UI. */
  uiUrl(dagId: string, dagRunId: string): string;
  /** Airflow's version string (doctor). */
  version(): Promise<string>;
}
