import type { RateLimits } from '../../sandbox/common/rate-limits.js';
import type { JiraDeployment } from '../../sandbox/jira/deployment.js';
import type { LoggedExchange } from '../../sandbox/common/request-log.js';
import { requestsInsideRetryAfter } from '../../sandbox/common/retry-after-check.js';
import { isWrite } from '../../sandbox/common/request-match.js';
import { round2, since } from '../counting.js';
import { isFinal, seedReady } from '../seed.js';
import { mark, startBenchSims } from '../sims.js';
import type { Strategy, StrategyName } from '../strategies.js';
import type { BenchSims } from '../sims.js';

const PHASE_MS = 30 * 60 * 1000;
/** Trigger, finish, and room for a strategy that needs a pass more. */
const MAX_PASSES = 4;

/** The enforced Jira Cloud limits: `writesPerSecond` per endpoint and method, reads at twice that, one write a second per issue. */
export function benchLimits(writesPerSecond: number): RateLimits {
  return {
    writes: { perSecond: writesPerSecond },
    reads: { perSecond: 2 * writesPerSecond },
    perIssueWrite: { perSecond: 1, burst: 2 },
  };
}

export interface EndpointPace {
  /** 'METHOD route' of the write endpoint that bounded the run (the one busy longest). */
  endpoint: string;
  admitted: number;
  /** Sum over passes of the time from its first to its last request in the pass. */
  busySeconds: number;
  /** admitted ÷ busySeconds ÷ the endpoint's allowed rate. */
  shareOfAllowedRate: number;
}

export interface RateLimitedFigures {
  strategy: StrategyName;
  deployment: JiraDeployment;
  tickets: number;
  writesPerSecond: number;
  passes: number;
  finished: number;
  jiraRequests: number;
  answered429: number;
  /** answered429 ÷ jiraRequests. */
  share429: number;
  bottleneck: EndpointPace | null;
  /** Requests that arrived inside an unexpired Retry-After of their scope. */
  insideRetryAfter: number;
  wallMs: number;
}

/**
 * N tickets from Ready to their final status against a Jira that enforces Jira Cloud's limits (token
 * buckets per endpoint and method, and per issue's writes), set low so that the limit, not the latency,
 * bounds the run: the first pass triggers every ticket, the next finishes every run.
 */
export async function rateLimited(
  n: number,
  writesPerSecond: number,
  make: (sims: BenchSims) => Strategy,
  latencyMs: number,
  deployment: JiraDeployment = 'cloud',
): Promise<RateLimitedFigures> {
  const sims = await startBenchSims({ queuedMs: PHASE_MS, runningMs: PHASE_MS }, deployment);
  const strategy = make(sims);
  try {
    const tickets = seedReady(sims, n);
    sims.armLatency(latencyMs);
    sims.jira.faults.enforce(benchLimits(writesPerSecond));
    const start = mark(sims);
    const passMarks: number[] = [];
    let wallMs = 0;
    let passes = 0;
    while (passes < MAX_PASSES) {
      if (passes > 0) sims.advanceAirflow(2 * PHASE_MS);
      passMarks.push(sims.jira.log.entries.length);
      wallMs += (await strategy.pass()).wallMs;
      passes++;
      if (tickets.every((t) => isFinal(sims, t.key))) break;
    }
    passMarks.push(sims.jira.log.entries.length);
    const entries = since(sims.jira.log.entries, start.jira);
    const answered429 = entries.filter((entry) => entry.status === 429).length;
    const perPass = passMarks.slice(0, -1).map((from, i) => sims.jira.log.entries.slice(from, passMarks[i + 1]));
    return {
      strategy: strategy.name,
      deployment,
      tickets: n,
      writesPerSecond,
      passes,
      finished: tickets.filter((t) => isFinal(sims, t.key)).length,
      jiraRequests: entries.length,
      answered429,
      share429: entries.length === 0 ? 0 : round4(answered429 / entries.length),
      bottleneck: bottleneck(perPass, writesPerSecond),
      insideRetryAfter: requestsInsideRetryAfter(entries).length,
      wallMs,
    };
  } finally {
    await strategy.close();
    await sims.close();
  }
}

/** The write endpoint busy longest over the passes, and the share of its allowed rate it was served at. */
export function bottleneck(passes: ReadonlyArray<readonly LoggedExchange[]>, writesPerSecond: number): EndpointPace | null {
  const busy = new Map<string, { admitted: number; ms: number }>();
  for (const pass of passes) {
    const spans = new Map<string, { first: number; last: number; admitted: number }>();
    for (const entry of pass) {
      if (!isWrite(entry.method) || entry.path.includes('/search')) continue;
      const key = `${entry.method} ${entry.route ?? entry.path}`;
      const span = spans.get(key) ?? { first: entry.at, last: entry.at, admitted: 0 };
      span.first = Math.min(span.first, entry.at);
      span.last = Math.max(span.last, entry.at);
      if (entry.status !== 429 && entry.status !== 0) span.admitted++;
      spans.set(key, span);
    }
    for (const [key, span] of spans) {
      const total = busy.get(key) ?? { admitted: 0, ms: 0 };
      busy.set(key, { admitted: total.admitted + span.admitted, ms: total.ms + (span.last - span.first) });
    }
  }
  const [endpoint, longest] = [...busy].sort((a, b) => b[1].ms - a[1].ms)[0] ?? [];
  if (!endpoint || !longest || longest.ms === 0) return null;
  const busySeconds = longest.ms / 1000;
  return { endpoint, admitted: longest.admitted, busySeconds: round2(busySeconds), shareOfAllowedRate: round4(longest.admitted / busySeconds / writesPerSecond) };
}

function round4(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
