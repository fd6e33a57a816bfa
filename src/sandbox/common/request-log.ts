/** What the plumbing did instead of (or after) serving a request normally. */
export type FaultLabel =
  | `status ${number}`
  | 'reset'
  | 'outage'
  | 'malformed'
  /** Served, then the socket destroyed. */
  | 'lost'
  /** Held by a test's hook before the handler: not applied, not answered. */
  | 'hooked before'
  /** Held by a test's hook after the handler: applied, then not answered. */
  | 'hooked applied';

/**
 * A 429's hold: 'tenant' holds every request to the simulator, 'endpoint' the requests of the same method
 * and route, 'issue' only writes to that issue.
 */
export type LimitScope = 'tenant' | 'endpoint' | 'issue';

export interface LoggedExchange {
  method: string;
  path: string;
  /** The raw query string without '?'. */
  query: string;
  requestBody: unknown;
  /** 0 when the simulator answered nothing (a reset, a lost answer, a hook that dropped it). */
  status: number;
  responseBody: unknown;
  /** The router pattern that served the request; null when none matched. */
  route: string | null;
  /*
   * The simulator server always sets issueKey, answeredAt and fault; they are optional so a test can
   * hand-build an exchange with only the fields it is about.
   */
  /** The ticket the request is about, when the simulator can tell. */
  issueKey?: string | null;
  /** When the request arrived (ms). */
  at: number;
  /** When the answer was sent or the socket destroyed (ms). */
  answeredAt?: number;
  fault?: FaultLabel | null;
  /** A 429 with Retry-After: when its hold ends (ms), and what it holds. */
  retryAfterUntil?: number;
  limitScope?: LimitScope;
  /** The client's User-Agent: which process sent it (the reconciler names its host and pid). */
  userAgent?: string;
}

/** Every exchange a simulator served, so tests count calls and contract tests validate them. */
export class RequestLog {
  entries: LoggedExchange[] = [];
  private listeners: Array<(exchange: LoggedExchange) => void> = [];

  record(exchange: LoggedExchange): void {
    this.entries.push(exchange);
    for (const listener of this.listeners) listener(exchange);
  }

  /**
   * Calls the listener after each exchange is recorded, when the simulator's state already holds its
   * effect: how a test checks an invariant after every request. Returns the unsubscribe function.
   */
  onRecord(listener: (exchange: LoggedExchange) => void): () => void {
    this.listeners.push(listener);
    return () => {
      this.listeners = this.listeners.filter((other) => other !== listener);
    };
  }

  /** Counts exchanges by method and by route pattern (exact) or path prefix. */
  count(method?: string, routeOrPathPrefix?: string): number {
    return this.entries.filter((entry) => matches(entry, method, routeOrPathPrefix)).length;
  }

  /** Exchanges per 'METHOD pattern' (the path when no route matched). */
  counters(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const entry of this.entries) {
      const key = `${entry.method} ${entry.route ?? entry.path}`;
      counts[key] = (counts[key] ?? 0) + 1;
    }
    return counts;
  }

  /** Exchanges per fault label, for a test that reports what it injected. */
  faultCounts(): Partial<Record<FaultLabel, number>> {
    const counts: Partial<Record<FaultLabel, number>> = {};
    for (const entry of this.entries) {
      if (entry.fault) counts[entry.fault] = (counts[entry.fault] ?? 0) + 1;
    }
    return counts;
  }

  clear(): void {
    this.entries = [];
  }
}

function matches(entry: LoggedExchange, method?: string, routeOrPathPrefix?: string): boolean {
  if (method !== undefined && entry.method !== method.toUpperCase()) return false;
  if (routeOrPathPrefix === undefined) return true;
  return entry.route === routeOrPathPrefix || entry.path.startsWith(routeOrPathPrefix);
}
