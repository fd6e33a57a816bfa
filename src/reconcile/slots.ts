import type { InFlightRun } from '../airflow/gateway.js';
import type { Config } from '../config/schema.js';
import type { RunRecord } from '../store/run-record.js';

/**
 * The in-flight caps of one pass (environments.<env>.maxInFlight, sources.<s>.maxInFlight): counted from
 * the store's records and, where the pass may not trust the store to know every run (a full resync, the
 * first pass on a new or rebuilt state file), from the runs Airflow has in flight for tickets. Slots are
 * taken as requests start, so the pass never starts more than a cap allows.
 */
export interface Slots {
  /**
   * Takes a slot for the run `dagRunId` of this environment and source; false when a cap is reached. A
   * run already counted in flight holds its slot already. Callers take before any other await, so the
   * slots go in the order they are asked for.
   */
  take(environment: string, source: string, dagRunId: string): Promise<boolean>;
}

type CapConfig = Pick<Config, 'environmentSettings' | 'sources'>;

const HOLDING: ReadonlySet<RunRecord['state']> = new Set(['pending', 'queued', 'running']);

/** Whether any environment or source has an in-flight cap. */
export function capsConfigured(config: CapConfig): boolean {
  return Object.values(config.environmentSettings).some((e) => e.maxInFlight !== undefined) || Object.values(config.sources).some((s) => s.maxInFlight !== undefined);
}

/**
 * `inFlight`, when given, is asked once, at the first slot a cap applies to: a pass that starts nothing
 * under a cap costs no request for it.
 */
export function passSlots(config: CapConfig, records: readonly RunRecord[], inFlight?: () => Promise<readonly InFlightRun[]>): Slots {
  const envCap = (env: string): number | undefined => config.environmentSettings[env]?.maxInFlight;
  const sourceCap = (source: string): number | undefined => config.sources[source]?.maxInFlight;
  const holders = new Set<string>();
  const byEnv = new Map<string, number>();
  const bySource = new Map<string, number>();
  const hold = (id: string, environment: string | null, source: string | null): void => {
    holders.add(id);
    if (environment) byEnv.set(environment, (byEnv.get(environment) ?? 0) + 1);
    if (source) bySource.set(source, (bySource.get(source) ?? 0) + 1);
  };
  for (const record of records) {
    if (HOLDING.has(record.state)) hold(record.airflowDagRunId ?? `record:${record.id}`, record.environment, record.source);
  }
  let loaded: Promise<void> | null = null;
  const load = async (): Promise<void> => {
    for (const run of (await inFlight?.()) ?? []) {
      if (!holders.has(run.dagRunId)) hold(run.dagRunId, run.environment, run.source);
    }
  };
  return {
    async take(environment, source, dagRunId) {
      const envLimit = envCap(environment);
      const sourceLimit = sourceCap(source);
      // Counts matter only where a cap is: an uncapped start costs no look at Airflow.
      if (envLimit === undefined && sourceLimit === undefined) return true;
      await (loaded ??= load());
      if (holders.has(dagRunId)) return true;
      const env = byEnv.get(environment) ?? 0;
      const src = bySource.get(source) ?? 0;
      if (env >= (envLimit ?? Number.POSITIVE_INFINITY) || src >= (sourceLimit ?? Number.POSITIVE_INFINITY)) return false;
      hold(dagRunId, environment, source);
      return true;
    },
  };
}
