export interface LoggedExchange {
  method: string;
  path: string;
  /** The raw query string without '?'. */
  query: string;
  requestBody: unknown;
  /** 0 when the simulator answered nothing (a reset fault). */
  status: number;
  responseBody: unknown;
  /** The router pattern that served the request; null when none matched. */
  route: string | null;
  at: number;
}

/** Every exchange a simulator served, so tests count calls and contract tests validate them. */
export class RequestLog {
  entries: LoggedExchange[] = [];

  record(exchange: LoggedExchange): void {
    this.entries.push(exchange);
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

  clear(): void {
    this.entries = [];
  }
}

function matches(entry: LoggedExchange, method?: string, routeOrPathPrefix?: string): boolean {
  if (method !== undefined && entry.method !== method.toUpperCase()) return false;
  if (routeOrPathPrefix === undefined) return true;
  return entry.route === routeOrPathPrefix || entry.path.startsWith(routeOrPathPrefix);
}
