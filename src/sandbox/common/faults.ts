import { chaosDraw, type ChaosDraw, type ChaosProfile } from './chaos.js';
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

  /** Every request that arrives in the next `ms` has its connection reset. */
  outage(ms: number): void {
    this.outageUntil = this.now() + ms;
  }

  /** Acts when a given request reaches its handler (see RequestHook). */
  onRequest(hook: RequestHook): HookHandle {
    return this.hooks.add(hook);
  }

  /** Drops rules, chaos, the outage window and hooks. */
  clear(): void {
    this.rules = [];
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
    const fault = this.takeRule(request) ?? this.draw?.(request) ?? null;
    if (fault?.kind === 'latency') return { latencyMs: this.chaosLatencyMs + fault.ms, fault: null, outage: false };
    return { latencyMs: this.chaosLatencyMs, fault, outage: false };
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
