import type { Fault } from './faults.js';
import { seededRandom } from './prng.js';
import { isWrite, requestMatches, type RequestInfo, type RequestMatch } from './request-match.js';

/** Jira's reason for a 429 that holds only writes to one issue (`jira-burst-based` holds one endpoint and method, any other the tenant). */
export const PER_ISSUE_REASON = 'jira-per-issue-on-write';

/** Random faults on a share of requests, drawn from a seeded PRNG so a run can be replayed. */
export interface ChaosProfile {
  seed: number;
  /** Added to every request before it is served. */
  latencyMs?: number;
  /** A share (0..1) of requests answered 429 with this Retry-After. */
  rateLimited?: {
    rate: number;
    retryAfter: string;
    /**
     * `RateLimit-Reason` values, one drawn per 429; none sends no header. The per-issue reason is drawn
     * only for writes to an issue (Jira sends it for nothing else); other requests draw from the rest.
     */
    reasons?: string[];
  };
  /** A share of requests answered with this status (default 503). */
  unavailable?: { rate: number; status?: number };
  /** A share of requests served (their effect happens), then left without an answer. */
  lostAnswers?: { rate: number };
  /** Only these requests are subject to chaos; default all. */
  only?: RequestMatch;
}

export type ChaosDraw = (request: RequestInfo) => Fault | null;

/** Turns a profile into a draw per request; rates outside 0..1 or summing past 1 are refused. */
export function chaosDraw(profile: ChaosProfile): ChaosDraw {
  const rates = [profile.rateLimited?.rate ?? 0, profile.unavailable?.rate ?? 0, profile.lostAnswers?.rate ?? 0];
  if (rates.some((rate) => rate < 0 || rate > 1) || rates.reduce((a, b) => a + b, 0) > 1) {
    throw new Error(`Chaos rates must each be within 0..1 and sum to at most 1; got ${rates.join(', ')}`);
  }
  const random = seededRandom(profile.seed);
  const [limited = 0, unavailable = 0, lost = 0] = rates;
  return (request) => {
    if (profile.only && !requestMatches(profile.only, request)) return null;
    const roll = random();
    if (roll < limited && profile.rateLimited) return rateLimit(profile.rateLimited, request, random);
    if (roll < limited + unavailable) return { kind: 'status', status: profile.unavailable?.status ?? 503 };
    if (roll < limited + unavailable + lost) return { kind: 'lost' };
    return null;
  };
}

function rateLimit(limit: NonNullable<ChaosProfile['rateLimited']>, request: RequestInfo, random: () => number): Fault {
  const perIssueAllowed = request.issueKey !== null && isWrite(request.method);
  const reasons = (limit.reasons ?? []).filter((reason) => perIssueAllowed || reason !== PER_ISSUE_REASON);
  const reason = reasons[Math.floor(random() * reasons.length)];
  return { kind: 'status', status: 429, retryAfter: limit.retryAfter, ...(reason === undefined ? {} : { headers: { 'ratelimit-reason': reason } }) };
}
