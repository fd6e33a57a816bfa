import type { Upstream } from './errors.js';
import type { GateRequest } from './gate-request.js';

/**
 * What a 429 (or an `X-RateLimit-NearLimit`) holds back, as Jira Cloud scopes its limits ("Build an app
 * that respects rate limits", October 2026): `jira-burst-based` one endpoint and method of the tenant,
 * `jira-per-issue-on-write` the writes to one issue, the `jira-quota-*` reasons (or none) the whole tenant.
 * An Airflow instance has one scope: `tenant` stands for all of that instance.
 */
export type HoldScope = { kind: 'tenant' } | { kind: 'endpoint'; endpoint: string } | { kind: 'issue'; issue: string };

export type HoldScopeKind = HoldScope['kind'];

export const BURST_REASON = 'jira-burst-based';
export const PER_ISSUE_REASON = 'jira-per-issue-on-write';

/** The scope a limit signal names for this request; what cannot be told holds the whole upstream. */
export function limitScope(upstream: Upstream, reason: unknown, request: GateRequest): HoldScope {
  if (upstream !== 'jira') return { kind: 'tenant' };
  const named = typeof reason === 'string' ? reason.trim().toLowerCase() : '';
  if (named === BURST_REASON && request.endpoint) return { kind: 'endpoint', endpoint: request.endpoint };
  if (named === PER_ISSUE_REASON && request.issue && request.write) return { kind: 'issue', issue: request.issue };
  return { kind: 'tenant' };
}

/** The key a scope is kept under in the gate. */
export function scopeKey(scope: HoldScope): string {
  if (scope.kind === 'endpoint') return `endpoint ${scope.endpoint}`;
  if (scope.kind === 'issue') return `issue ${scope.issue}`;
  return 'tenant';
}

/** Every scope the request falls in: the whole upstream, its endpoint, and its issue when it writes to one. */
export function scopesOf(request: GateRequest): HoldScope[] {
  const scopes: HoldScope[] = [{ kind: 'tenant' }];
  if (request.endpoint) scopes.push({ kind: 'endpoint', endpoint: request.endpoint });
  if (request.write && request.issue) scopes.push({ kind: 'issue', issue: request.issue });
  return scopes;
}
