import { isWrite } from './request-match.js';
import type { LoggedExchange } from './request-log.js';

export interface RetryAfterBreach {
  /** The request that arrived while the hold was on. */
  request: LoggedExchange;
  /** The 429 whose Retry-After it ignored. */
  heldBy: LoggedExchange;
}

export interface RetryAfterCheckOptions {
  /**
   * A request that arrives this soon after a 429 was sent may have left the client before the 429
   * reached it; default 0 (every request after the send counts).
   */
  graceMs?: number;
}

/**
 * Requests that arrived while a 429's Retry-After of the same scope was unexpired: a tenant-wide 429
 * holds every request to the simulator, a burst one the requests of its method and route, a per-issue one
 * only writes to that issue. Zero is polite.
 */
export function requestsInsideRetryAfter(entries: readonly LoggedExchange[], options: RetryAfterCheckOptions = {}): RetryAfterBreach[] {
  const grace = options.graceMs ?? 0;
  const holds = entries.filter((entry) => entry.status === 429 && entry.retryAfterUntil !== undefined);
  const breaches: RetryAfterBreach[] = [];
  for (const request of entries) {
    const heldBy = holds.find(
      (hold) =>
        hold !== request &&
        request.at > (hold.answeredAt ?? hold.at) + grace &&
        request.at < (hold.retryAfterUntil ?? 0) &&
        inScope(hold, request),
    );
    if (heldBy) breaches.push({ request, heldBy });
  }
  return breaches;
}

function inScope(hold: LoggedExchange, request: LoggedExchange): boolean {
  if (hold.limitScope === 'issue') return request.issueKey != null && request.issueKey === hold.issueKey && isWrite(request.method);
  if (hold.limitScope === 'endpoint') return request.method === hold.method && (request.route ?? request.path) === (hold.route ?? hold.path);
  return true;
}
