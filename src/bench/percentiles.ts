/** A latency's spread as the bench prints it, in seconds: nearest-rank percentiles of what was measured. */
export interface Percentiles {
  count: number;
  p50: number;
  p95: number;
  max: number;
}

/** The nearest-rank percentile (the smallest value with at least p% of the values at or below it); null for no values. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  if (!(p > 0 && p <= 100)) throw new Error(`percentile: p must be in (0, 100], not ${p}`);
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil((p / 100) * sorted.length) - 1] ?? null;
}

/** Milliseconds measured → p50, p95 and max in seconds (one decimal); null when nothing was measured. */
export function percentiles(valuesMs: readonly number[]): Percentiles | null {
  const p50 = percentile(valuesMs, 50);
  const p95 = percentile(valuesMs, 95);
  if (p50 === null || p95 === null) return null;
  return { count: valuesMs.length, p50: seconds(p50), p95: seconds(p95), max: seconds(Math.max(...valuesMs)) };
}

function seconds(ms: number): number {
  return Math.round(ms / 100) / 10;
}
