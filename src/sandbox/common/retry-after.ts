/** When a Retry-After value (delay seconds or an HTTP date) expires, from the time the answer was sent; null when unreadable. */
export function retryAfterExpiry(value: string, sentAt: number): number | null {
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return sentAt + Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? null : date;
}
