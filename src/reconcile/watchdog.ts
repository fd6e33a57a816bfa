/** The watchdog's limits, in minutes per live state (watchdog.queuedMinutes / runningMinutes). */
export interface WatchdogLimits {
  queuedMinutes?: number | undefined;
  runningMinutes?: number | undefined;
}

/**
 * Minutes a run has sat in its live state when that is at or past the watchdog's limit for the state;
 * null when within it, not watched, or when the start of the state is unknown. Pure.
 */
export function minutesPastLimit(state: 'queued' | 'running', since: string | null, limits: WatchdogLimits | undefined, now: Date): number | null {
  const limit = state === 'queued' ? limits?.queuedMinutes : limits?.runningMinutes;
  if (limit === undefined || since === null) return null;
  const minutes = Math.floor((now.getTime() - Date.parse(since)) / 60_000);
  return Number.isFinite(minutes) && minutes >= limit ? minutes : null;
}
