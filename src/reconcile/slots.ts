import type { Config } from '../config/schema.js';
import type { RunRecord } from '../store/run-record.js';

/**
 * The in-flight caps of one pass (environments.<env>.maxInFlight, sources.<s>.maxInFlight): counted from
 * the store at the start, and taken as requests start, so the pass never starts more than a cap allows.
 */
export interface Slots {
  /** Takes a slot for a run of this environment and source; false when a cap is reached. */
  take(environment: string, source: string): boolean;
}

const HOLDING: ReadonlySet<RunRecord['state']> = new Set(['pending', 'queued', 'running']);

/** Whether any environment or source has an in-flight cap. */
export function capsConfigured(config: Pick<Config, 'environmentSettings' | 'sources'>): boolean {
  return Object.values(config.environmentSettings).some((e) => e.maxInFlight !== undefined) || Object.values(config.sources).some((s) => s.maxInFlight !== undefined);
}

export function passSlots(config: Pick<Config, 'environmentSettings' | 'sources'>, records: readonly RunRecord[]): Slots {
  const envCap = (env: string): number | undefined => config.environmentSettings[env]?.maxInFlight;
  const sourceCap = (source: string): number | undefined => config.sources[source]?.maxInFlight;
  const byEnv = new Map<string, number>();
  const bySource = new Map<string, number>();
  for (const record of records) {
    if (!HOLDING.has(record.state)) continue;
    if (record.environment) byEnv.set(record.environment, (byEnv.get(record.environment) ?? 0) + 1);
    if (record.source) bySource.set(record.source, (bySource.get(record.source) ?? 0) + 1);
  }
  return {
    take(environment, source) {
      const env = byEnv.get(environment) ?? 0;
      const src = bySource.get(source) ?? 0;
      if (env >= (envCap(environment) ?? Number.POSITIVE_INFINITY) || src >= (sourceCap(source) ?? Number.POSITIVE_INFINITY)) return false;
      byEnv.set(environment, env + 1);
      bySource.set(source, src + 1);
      return true;
    },
  };
}
