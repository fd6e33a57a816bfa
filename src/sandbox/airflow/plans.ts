import type { PlannedOutcome, RunMatch, SimDagRun } from './types.js';

interface Plan {
  match: RunMatch;
  outcome: PlannedOutcome;
  remaining: number;
}

/** Outcomes tests arm for future runs; the newest matching plan wins. */
export class OutcomePlans {
  private plans: Plan[] = [];

  add(match: RunMatch, outcome: PlannedOutcome, times?: number): void {
    this.plans.unshift({ match, outcome, remaining: times ?? Number.POSITIVE_INFINITY });
  }

  /** The outcome for a run that starts now; consumes one use of the plan. */
  take(run: Pick<SimDagRun, 'dagId' | 'dagRunId' | 'conf'>): PlannedOutcome {
    const index = this.plans.findIndex((plan) => matches(plan.match, run));
    const plan = this.plans[index];
    if (!plan) return { state: 'success' };
    plan.remaining -= 1;
    if (plan.remaining <= 0) this.plans.splice(index, 1);
    return plan.outcome;
  }
}

function matches(match: RunMatch, run: Pick<SimDagRun, 'dagId' | 'dagRunId' | 'conf'>): boolean {
  if (match.dagId !== undefined && match.dagId !== run.dagId) return false;
  if (match.dagRunId !== undefined && match.dagRunId !== run.dagRunId) return false;
  for (const [key, expected] of Object.entries(match.confMatch ?? {})) {
    if (JSON.stringify(run.conf[key]) !== JSON.stringify(expected)) return false;
  }
  return true;
}

/**
 * The XCom `return_value` the pipeline leaves: undefined when there is none. `n` numbers the
 * finished runs so platform run ids differ; `endedAt` dates them.
 */
export function resultOf(outcome: PlannedOutcome, n: number, endedAt: number): unknown {
  if (outcome.result === 'missing') return undefined;
  if (outcome.result === 'malformed') return { items: 'many' };
  if (outcome.result !== undefined) return outcome.result;
  const runId = `RUN-${new Date(endedAt).toISOString().slice(0, 10)}-${String(n).padStart(4, '0')}`;
  if (outcome.state === 'success') return { run_id: runId, item_count: n, error: null };
  return { run_id: runId, item_count: 0, error: outcome.errorText ?? 'The pipeline failed' };
}
