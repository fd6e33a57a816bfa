import { retryDelaySeconds, shouldRetry } from '../config/retry-policy.js';
import type { RetrySettings } from '../config/schema.js';

const ATTEMPT_SUFFIX = /__a(\d+)$/;

/** The attempt a DAG run id stands for: `<first id>__a<k>` is attempt k, the first id attempt 1. */
export function attemptOf(dagRunId: string): number {
  const match = ATTEMPT_SUFFIX.exec(dagRunId);
  return match ? Number(match[1]) : 1;
}

export function firstRunId(dagRunId: string): string {
  return dagRunId.replace(ATTEMPT_SUFFIX, '');
}

export function attemptRunId(firstId: string, attempt: number): string {
  return attempt <= 1 ? firstId : `${firstId}__a${attempt}`;
}

export interface RetryPlan {
  /** The attempt that starts next, of how many. */
  attempt: number;
  of: number;
  dagRunId: string;
  dueAt: Date;
}

/**
 * Whether a failed run is tried again, and when: a pure function of the policy, the failed run's id and
 * error. `immediate` (a run adopted from an earlier life, whose wait has passed or is unknown) is due now.
 */
export function planRetry(
  policy: RetrySettings,
  dagRunId: string,
  errorText: string | null,
  now: Date,
  immediate: boolean,
): RetryPlan | null {
  const attempt = attemptOf(dagRunId);
  if (!shouldRetry(policy, attempt, errorText)) return null;
  const next = attempt + 1;
  const delayMs = immediate ? 0 : retryDelaySeconds(policy, next) * 1000;
  return { attempt: next, of: policy.attempts, dagRunId: attemptRunId(firstRunId(dagRunId), next), dueAt: new Date(now.getTime() + delayMs) };
}
