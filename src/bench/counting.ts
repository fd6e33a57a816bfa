import type { LoggedExchange } from '../sandbox/common/request-log.js';

/** The requests one upstream served in a stretch of the bench, in total and per 'METHOD route'. */
export interface Tally {
  total: number;
  byRoute: Record<string, number>;
}

/** Requests in a request log from `from` (an index taken with `mark`) on. */
export function since(entries: readonly LoggedExchange[], from: number): LoggedExchange[] {
  return entries.slice(from);
}

export function tally(entries: readonly LoggedExchange[]): Tally {
  const byRoute: Record<string, number> = {};
  for (const entry of entries) {
    const key = `${entry.method} ${entry.route ?? entry.path}`;
    byRoute[key] = (byRoute[key] ?? 0) + 1;
  }
  return { total: entries.length, byRoute };
}

export function addTallies(a: Tally, b: Tally): Tally {
  const byRoute = { ...a.byRoute };
  for (const [route, count] of Object.entries(b.byRoute)) byRoute[route] = (byRoute[route] ?? 0) + count;
  return { total: a.total + b.total, byRoute };
}

export const EMPTY_TALLY: Tally = { total: 0, byRoute: {} };

/** Requests per ticket, per route, rounded to two decimals as the table shows them. */
export function perTicket(tallied: Tally, tickets: number): { total: number; byRoute: Record<string, number> } {
  const byRoute: Record<string, number> = {};
  for (const [route, count] of Object.entries(tallied.byRoute)) byRoute[route] = round2(count / tickets);
  return { total: round2(tallied.total / tickets), byRoute };
}

/** Writes to Jira (not searches, which may be POSTs): what a "nothing changed" pass must not send. */
export function jiraWrites(entries: readonly LoggedExchange[]): number {
  return entries.filter((entry) => entry.method !== 'GET' && !entry.path.includes('/search')).length;
}

export interface Throughput {
  /** Tickets whose last write of the stretch was seen. */
  tickets: number;
  seconds: number;
  perSecond: number;
}

/**
 * Tickets per second from the first request of a stretch to the last write each ticket received in it
 * (by then it is triggered and commented, however the writes are bundled). Paths may name a ticket by
 * key or by id.
 */
export function triggerThroughput(entries: readonly LoggedExchange[], tickets: ReadonlyArray<{ key: string; id: string }>): Throughput {
  const first = entries[0];
  if (!first) return { tickets: 0, seconds: 0, perSecond: 0 };
  const lastWrite = new Map<string, number>();
  for (const entry of entries) {
    if (entry.method === 'GET' || entry.path.includes('/search')) continue;
    const ref = issueRef(entry.path);
    if (ref !== null) lastWrite.set(ref, Math.max(lastWrite.get(ref) ?? 0, entry.at));
  }
  let done = 0;
  let end = first.at;
  for (const ticket of tickets) {
    const at = Math.max(lastWrite.get(ticket.key) ?? 0, lastWrite.get(ticket.id) ?? 0);
    if (at === 0) continue;
    done++;
    end = Math.max(end, at);
  }
  const seconds = (end - first.at) / 1000;
  return { tickets: done, seconds: round2(seconds), perSecond: seconds > 0 ? Math.round((done / seconds) * 10) / 10 : 0 };
}

/** The key or id in `/rest/api/N/issue/{keyOrId}[/...]`, or null for another path. */
export function issueRef(path: string): string | null {
  const match = /\/rest\/api\/\d+\/issue\/([^/]+)/.exec(path);
  return match?.[1] ? decodeURIComponent(match[1]) : null;
}

/** naive ÷ product, one decimal; null when the product figure is 0 (nothing to divide by). */
export function ratio(naive: number, product: number): number | null {
  if (product === 0) return null;
  return Math.round((naive / product) * 10) / 10;
}

export function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

/** Where two tallies differ, route by route ('GET /x: 3 vs 4'); empty when they are the same. */
export function tallyDifferences(a: Tally, b: Tally): string[] {
  const routes = [...new Set([...Object.keys(a.byRoute), ...Object.keys(b.byRoute)])].sort();
  return routes.filter((route) => (a.byRoute[route] ?? 0) !== (b.byRoute[route] ?? 0)).map((route) => `${route}: ${a.byRoute[route] ?? 0} vs ${b.byRoute[route] ?? 0}`);
}
