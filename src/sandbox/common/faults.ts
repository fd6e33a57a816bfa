import { chaosDraw, type ChaosDraw, type ChaosProfile } from './chaos.js';
import { RateLimiter, type RateLimits } from './rate-limits.js';
import { RequestHooks, type HookHandle, type RequestHook } from './request-hooks.js';
import { requestMatches, type RequestInfo, type RequestMatch } from './request-match.js';

export type Fault =
  | { kind: 'latency'; ms: number }
  | { kind: 'status'; status: number; retryAfter?: string; headers?: Record<string, string>; body?: unknown }
  /** Destroys the socket without an answer. */
  | { kind: 'reset' }
  /** A 200 whose body is not valid JSON (truncated). */
  | { kind: 'malformed' }
  /** Serves the request (its effect happens), then destroys the socket: the client never learns it worked. */
  | { kind: 'lost' };

export interface FaultRule extends RequestMatch {
  fault: Fault;
  /** How many requests the rule hits before it expires; unlimited when absent. */
  times?: number;
}

/** What the plumbing does to one request: wait, then either serve it or answer with the fault. */
export interface FaultDecision {
  latencyMs: number;
  fault: Exclude<Fault, { kind: 'latency' }> | null;
  /** True when the fault comes from an outage window. */
  outage: boolean;
  /** Headers the answer carries when the request is served (the enforced limits' `X-RateLimit-NearLimit`). */
  headers?: Record<string, string>;
}

export interface FaultInjectorOptions {
  /** The clock of outage windows, in ms; default Date.now (the daemon under test lives in real time). */
  now?: () => number;
}

interface ActiveRule {
  rule: FaultRule;
  remaining: number;
}

/**
 * Faults a test arms on a simulator. Per request: an open outage window resets it; else the first
 * matching rule (in the order injected) applies; else the chaos profile draws. Hooks fire on requests
 * that reach their handler.
 */
export class FaultInjector {
  private rules: ActiveRule[] = [];
  private chaosLatencyMs = 0;
  private draw: ChaosDraw | null = null;
  private outageUntil = Number.NEGATIVE_INFINITY;
  private limiter: RateLimiter | null = null;
  private readonly now: () => number;
  readonly hooks = new RequestHooks();

  constructor(options: FaultInjectorOptions = {}) {
    this.now = options.now ?? Date.now;
  }

  inject(rule: FaultRule): void {
    this.rules.push({ rule, remaining: rule.times ?? Number.POSITIVE_INFINITY });
  }

  /** Random faults from now on, replacing any profile before. */
  chaos(profile: ChaosProfile): void {
    this.draw = chaosDraw(profile);
    this.chaosLatencyMs = profile.latencyMs ?? 0;
  }

  /**
   * Enforcing mode: from now on requests past the limits are answered 429 as Jira Cloud answers them
   * (see RateLimits), and only those; null lifts the limits. Buckets start full.
   */
  enforce(limits: RateLimits | null): void {
    this.limiter = limits ? new RateLimiter(limits, this.now) : null;
  }

  /** Every request that arrives in the next `ms` has its connection reset. */
  outage(ms: number): void {
    this.outageUntil = this.now() + ms;
  }

  /** Acts when a given request reaches its handler (see RequestHook). */
  onRequest(hook: RequestHook): HookHandle {
    return this.hooks.add(hook);
  }

  /** Drops rules, chaos, the outage window, enforced limits and hooks. */
  clear(): void {
    this.rules = [];
    this.limiter = null;
    this.draw = null;
    this.chaosLatencyMs = 0;
    this.outageUntil = Number.NEGATIVE_INFINITY;
    this.hooks.clear();
  }

  /** Pending rules, for a test that wants to check every fault it armed was hit. */
  pending(): FaultRule[] {
    return this.rules.map((active) => active.rule);
  }

  decide(request: RequestInfo): FaultDecision {
    if (this.now() < this.outageUntil) return { latencyMs: this.chaosLatencyMs, fault: { kind: 'reset' }, outage: true };
    // The limits are the service's edge: a refused request reaches nothing else; an admitted one may still meet a fault.
    const verdict = this.limiter?.check(request);
    if (verdict?.kind === 'refused') return { latencyMs: this.chaosLatencyMs, fault: verdict.fault, outage: false };
    const headers = verdict?.headers ?? {};
    const fault = this.takeRule(request) ?? this.draw?.(request) ?? null;
    if (fault?.kind === 'latency') return { latencyMs: this.chaosLatencyMs + fault.ms, fault: null, outage: false, headers };
    return { latencyMs: this.chaosLatencyMs, fault, outage: false, headers };
  }

  private takeRule(request: RequestInfo): Fault | null {
    const index = this.rules.findIndex((active) => requestMatches(active.rule, request));
    const active = this.rules[index];
    if (!active) return null;
    active.remaining -= 1;
    if (active.remaining <= 0) this.rules.splice(index, 1);
    return active.rule.fault;
  }
}
