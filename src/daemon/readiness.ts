/** Ready only while the last pass succeeded, at most three intervals ago (CONTRACT §5). */
export function isReady(lastSuccess: Date | null, now: Date, intervalMs: number, lastPassFailed = false): boolean {
  if (!lastSuccess || lastPassFailed) return false;
  return now.getTime() - lastSuccess.getTime() <= 3 * intervalMs;
}
