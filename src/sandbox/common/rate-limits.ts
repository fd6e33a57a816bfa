import type { Fault } from './faults.js';
import { isWrite, type RequestInfo } from './request-match.js';
import { checkBucketSpec, TokenBucket, type BucketSpec } from './token-bucket.js';

/**
 * The limits a simulator enforces, modelled on Jira Cloud's (developer.atlassian.com, "Rate limiting" and
 * "Build an app that respects rate limits", October 2026): three independent limits at once, each a token
 * bucket, each with its own `RateLimit-Reason` on the 429 it causes:
 * - `jira-burst-based`: per tenant, endpoint and HTTP method (every `PUT /issue/{key}` shares one bucket);
 * - `jira-per-issue-on-write`: the writes to one issue;
 * - `jira-quota-tenant-based`: every request of the tenant.
 * A 429 carries `Retry-After` (whole seconds until a token is back) and `X-RateLimit-Reset`; an answer that
 * leaves less than 20% of any of its budgets carries `X-RateLimit-NearLimit: true` and that budget's reason.
 * An Airflow stand-in sets `reasons: false`: one limit, no reason header.
 */
export interface RateLimits {
  /** Each endpoint and method of the tenant, for reads (GET, HEAD) and for writes. */
  reads?: BucketSpec;
  writes?: BucketSpec;
  /** Writes to one issue. */
  perIssueWrite?: BucketSpec;
  /** Every request of the tenant. */
  tenant?: BucketSpec;
  /** Send `RateLimit-Reason` with 429s and NearLimit answers; default true (Jira). */
  reasons?: boolean;
}

export const BURST_REASON = 'jira-burst-based';
export const PER_ISSUE_WRITE_REASON = 'jira-per-issue-on-write';
export const QUOTA_REASON = 'jira-quota-tenant-based';
/** Jira flags an answer once less than this share of a budget is left. */
export const NEAR_LIMIT_SHARE = 0.2;

/** What the limiter makes of one request: a 429 instead of it, or headers to add to its answer. */
export type LimitVerdict = { kind: 'refused'; fault: Extract<Fault, { kind: 'status' }> } | { kind: 'served'; headers: Record<string, string> };

interface Charged {
  bucket: TokenBucket;
  reason: string;
}

/** Enforces RateLimits on the requests of one simulator; buckets are made on first use. */
export class RateLimiter {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(
    private readonly limits: RateLimits,
    private readonly now: () => number,
  ) {
    for (const spec of [limits.reads, limits.writes, limits.perIssueWrite, limits.tenant]) if (spec) checkBucketSpec(spec);
  }

  /** Takes a token from every bucket the request falls in, or none and refuses it when any is empty. */
  check(request: RequestInfo): LimitVerdict {
    const now = this.now();
    const charged = this.bucketsOf(request);
    const empty = charged
      .map((entry) => ({ ...entry, waitMs: entry.bucket.msUntilToken(now) }))
      .filter((entry) => entry.waitMs > 0)
      .sort((a, b) => b.waitMs - a.waitMs)[0];
    if (empty) {
      const seconds = Math.max(1, Math.ceil(empty.waitMs / 1000));
      const headers: Record<string, string> = { 'x-ratelimit-reset': new Date(now + seconds * 1000).toISOString() };
      if (this.limits.reasons ?? true) headers['ratelimit-reason'] = empty.reason;
      return { kind: 'refused', fault: { kind: 'status', status: 429, retryAfter: String(seconds), headers } };
    }
    for (const entry of charged) entry.bucket.take(now);
    const lowest = charged
      .map((entry) => ({ ...entry, share: entry.bucket.level(now) / entry.bucket.capacity }))
      .sort((a, b) => a.share - b.share)[0];
    if (!lowest || lowest.share >= NEAR_LIMIT_SHARE) return { kind: 'served', headers: {} };
    const headers: Record<string, string> = { 'x-ratelimit-nearlimit': 'true' };
    if (this.limits.reasons ?? true) headers['ratelimit-reason'] = lowest.reason;
    return { kind: 'served', headers };
  }

  private bucketsOf(request: RequestInfo): Charged[] {
    const write = isWrite(request.method);
    const charged: Charged[] = [];
    const add = (key: string, spec: BucketSpec | undefined, reason: string): void => {
      if (!spec) return;
      let bucket = this.buckets.get(key);
      if (!bucket) {
        bucket = new TokenBucket(spec, this.now());
        this.buckets.set(key, bucket);
      }
      charged.push({ bucket, reason });
    };
    add('tenant', this.limits.tenant, QUOTA_REASON);
    add(`endpoint ${request.method.toUpperCase()} ${request.route ?? request.path}`, write ? this.limits.writes : this.limits.reads, BURST_REASON);
    if (write && request.issueKey) add(`issue ${request.issueKey}`, this.limits.perIssueWrite, PER_ISSUE_WRITE_REASON);
    return charged;
  }
}
