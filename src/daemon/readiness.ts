/** Ready while the last successful pass is at most three intervals old (CONTRACT §5). */
export function isReady(lastSuccess: Date | null, now: Date, intervalMs: number): boolean {
  if (!lastSuccess) return false;
  return now.getTime() - lastSuccess.getTime() <= 3 * intervalMs;
}
