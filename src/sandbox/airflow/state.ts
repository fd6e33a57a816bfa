import { advanceRun, type Timing } from './lifecycle.js';
import { OutcomePlans } from './plans.js';
import { overwriteStop, patchRunState, patchTaskState } from './state-changes.js';
import type { PlannedOutcome, RunMatch, SimDag, SimDagOptions, SimDagRun, SimTaskState } from './types.js';

export interface TriggerInput {
  dagRunId: string;
  conf: Record<string, unknown>;
  logicalDate: number | null;
  note: string | null;
}

export type TriggerResult = { kind: 'created'; run: SimDagRun } | { kind: 'no_dag' } | { kind: 'duplicate' };

/** The simulated metadata database and scheduler: DAGs, runs and how runs move on the sim clock. */
export class AirflowState {
  readonly dags = new Map<string, SimDag>();
  private readonly runList: SimDagRun[] = [];
  private readonly plans = new OutcomePlans();
  private seq = 0;
  private finished = 0;

  constructor(
    readonly now: () => number,
    private readonly timing: Timing,
    /** Whether the scheduler overwrites the first stop of a running run (AirflowSimOptions.clobberFirstStop). */
    private readonly clobberFirstStop = false,
  ) {}

  addDag(dagId: string, options: SimDagOptions = {}): void {
    this.tick();
    this.dags.set(dagId, { dagId, isPaused: options.isPaused ?? false, addedAt: this.now(), params: options.params ?? {} });
  }

  /** Unpausing lets queued runs go from now on; pausing holds the runs that have not started yet. */
  setPaused(dagId: string, paused: boolean): SimDag | undefined {
    this.tick();
    const dag = this.dags.get(dagId);
    if (!dag) return undefined;
    if (dag.isPaused !== paused) {
      dag.isPaused = paused;
      for (const run of this.runList) {
        if (run.dagId === dagId && run.state === 'queued') run.eligibleAt = paused ? null : this.now();
      }
    }
    return dag;
  }

  removeDag(dagId: string): void {
    this.dags.delete(dagId);
    for (let i = this.runList.length - 1; i >= 0; i--) {
      if (this.runList[i]?.dagId === dagId) this.runList.splice(i, 1);
    }
  }

  plan(match: RunMatch, outcome: PlannedOutcome, times?: number): void {
    this.plans.add(match, outcome, times);
  }

  trigger(dagId: string, input: TriggerInput): TriggerResult {
    this.tick();
    const dag = this.dags.get(dagId);
    if (!dag) return { kind: 'no_dag' };
    if (this.find(dagId, input.dagRunId)) return { kind: 'duplicate' };
    const now = this.now();
    const run: SimDagRun = {
      seq: ++this.seq,
      dagId,
      dagRunId: input.dagRunId,
      state: 'queued',
      conf: input.conf,
      logicalDate: input.logicalDate,
      runAfter: input.logicalDate ?? now,
      queuedAt: now,
      startDate: null,
      endDate: null,
      note: input.note,
      runType: 'manual',
      eligibleAt: dag.isPaused ? null : now,
      outcome: null,
      result: undefined,
      updatedAt: now,
      taskOverride: null,
      clobberPending: false,
      clobbered: false,
      taskNote: null,
    };
    this.runList.push(run);
    return { kind: 'created', run };
  }

  /** Whether a run of the DAG already has this logical date (Airflow 2 keeps them unique per DAG). */
  hasLogicalDate(dagId: string, logicalDate: number): boolean {
    return this.runList.some((run) => run.dagId === dagId && run.logicalDate === logicalDate);
  }

  /** PATCH state: success/failed end the run now without a result; queued starts it over. */
  setRunState(run: SimDagRun, state: 'success' | 'failed' | 'queued'): void {
    this.tick();
    const paused = this.dags.get(run.dagId)?.isPaused ?? false;
    patchRunState(run, state, { now: this.now(), paused, clobber: this.clobberFirstStop });
  }

  /** Sets the state of the run's task instance through the API. */
  setTaskState(run: SimDagRun, state: SimTaskState): void {
    this.tick();
    patchTaskState(run, state, this.now());
  }

  find(dagId: string, dagRunId: string): SimDagRun | undefined {
    this.tick();
    return this.runList.find((run) => run.dagId === dagId && run.dagRunId === dagRunId);
  }

  runs(): SimDagRun[] {
    this.tick();
    return [...this.runList];
  }

  tick(): void {
    const ctx = {
      now: this.now(),
      timing: this.timing,
      startOutcome: (run: SimDagRun) => this.plans.take(run),
      nextFinished: () => ++this.finished,
    };
    for (const run of this.runList) {
      overwriteStop(run, ctx.now);
      if (run.state === 'queued' || run.state === 'running') advanceRun(run, ctx);
    }
  }
}
