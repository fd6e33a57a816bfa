export interface BackoffPolicy {
  /** Wait after the first failed send. */
  firstDelayMs: number;
  /** No wait grows past this. */
  maxDelayMs: number;
}

/** The wait after `attempts` failed sends: first, 2×first, 4×first, ... capped. */
export function retryDelayMs(attempts: number, policy: BackoffPolicy): number {
  return Math.min(policy.maxDelayMs, policy.firstDelayMs * 2 ** Math.max(0, attempts - 1));
}
