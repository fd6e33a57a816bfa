import type { FaultInjector } from '../common/faults.js';
import type { SimServer } from '../common/http.js';
import type { RequestLog } from '../common/request-log.js';

export type ApiVersion = 'v1' | 'v2';
export type SimRunState = 'queued' | 'running' | 'success' | 'failed';

export interface SimDag {
  dagId: string;
  isPaused: boolean;
  /** Sim-clock ms when the DAG was added, shown as its last parse time. */
  addedAt: number;
  /** The DAG's declared params, by name, as GET /dags/{dag_id}/details shows them. */
  params: Record<string, SimParam>;
}

/**
 * One declared DAG param, like `Param(5, type="integer", minimum=1, description=...)`. Without
 * `default` the param has none (Airflow's NOTSET, which its API shows as a null value).
 */
export interface SimParam {
  default?: unknown;
  description?: string;
  /** The JSON Schema keywords given to the Param (`type`, `enum`, `minimum`...). */
  schema?: Record<string, unknown>;
}

/** The states a task instance can be given through the API (v1 `UpdateTaskState`; v2 accepts the same). */
export type SimTaskState = 'success' | 'failed' | 'skipped';

/** Options of a DAG the sim knows. */
export interface SimDagOptions {
  isPaused?: boolean;
  params?: Record<string, SimParam>;
}

/** How a planned run ends; `result` 'missing' means no XCom, 'malformed' a value that is not the documented object. */
export interface PlannedOutcome {
  state: 'success' | 'failed';
  result?: unknown;
  errorText?: string;
  durationMs?: number;
}

export interface RunMatch {
  dagId?: string;
  dagRunId?: string;
  /** Every key must equal (JSON-wise) the same key of the run's conf. */
  confMatch?: Record<string, unknown>;
}

export interface SimDagRun {
  /** Creation order, Airflow's `id`. */
  seq: number;
  dagId: string;
  dagRunId: string;
  state: SimRunState;
  conf: Record<string, unknown>;
  /** null in Airflow 3 when the trigger sent `"logical_date": null`. */
  logicalDate: number | null;
  runAfter: number;
  queuedAt: number;
  startDate: number | null;
  endDate: number | null;
  note: string | null;
  runType: 'manual';
  /** When the scheduler may start the queued run: null while its DAG is paused. */
  eligibleAt: number | null;
  /** Fixed when the run starts, from the plans in force then. */
  outcome: PlannedOutcome | null;
  /** The XCom `return_value` of run_pipeline once the run ended; undefined when there is none. */
  result: unknown;
  updatedAt: number;
  /** The state of run_pipeline when it was set through the API; null while it follows the run. */
  taskOverride: SimTaskState | null;
  /** A stop the scheduler will overwrite on its next loop, because the task still runs (clobberFirstStop). */
  clobberPending: boolean;
  /** Whether the scheduler already overwrote one stop of this run: only the first is clobbered. */
  clobbered: boolean;
  /** The note on run_pipeline's task instance (v2 PATCH). */
  taskNote: string | null;
}

export interface AirflowSimOptions {
  port?: number;
  /** Default v1; the sim serves only this API. */
  apiVersion?: ApiVersion;
  /** Default [{ username: 'admin', password: 'admin' }]. */
  users?: Array<{ username: string; password: string }>;
  /** Static bearer tokens also accepted (AIRFLOW_TOKEN). */
  tokens?: string[];
  /** Default scraper_alfabeta, scraper_quebec, scraper_lafa, unpaused. */
  dags?: Array<{ dagId: string } & SimDagOptions>;
  /** The sim's clock in ms, default Date.now. */
  now?: () => number;
  /** How long a run stays queued then running, in sim-clock ms; default 1000/3000. */
  timing?: { queuedMs: number; runningMs: number };
  /** Lifetime of tokens from POST /auth/token (v2) in sim-clock ms; default 24 h like Airflow's jwt_expiration_time. */
  tokenTtlMs?: number;
  /**
   * When true, the first PATCH that sets a running run to failed is overwritten back to running by the
   * scheduler's next loop while run_pipeline still runs, as real Airflow can. Marking the task instance
   * failed (or a second PATCH) makes the stop stick. Default false.
   */
  clobberFirstStop?: boolean;
}

export interface AirflowSim {
  url: string;
  apiVersion: ApiVersion;
  server: SimServer;
  faults: FaultInjector;
  log: RequestLog;
  close(): Promise<void>;
  addDag(dagId: string, opts?: SimDagOptions): void;
  setPaused(dagId: string, paused: boolean): void;
  /** The DAG and its runs are gone, as after DELETE /dags/{dag_id}. */
  removeDag(dagId: string): void;
  /**
   * Plans how matching runs end. A run takes its plan when it starts running, so plan before that.
   * The newest matching plan wins; a plan holds for every matching run unless `times` limits it. Default without plans: success with {run_id: 'RUN-<date>-<n>', item_count: <n>, error: null}.
   */
  plan(match: RunMatch, outcome: PlannedOutcome, options?: { times?: number }): void;
  runs(): SimDagRun[];
  run(dagId: string, dagRunId: string): SimDagRun | undefined;
  /** Recomputes run states from the clock (also done lazily on every request). */
  tick(): void;
}
