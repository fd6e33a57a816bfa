import type { Clock } from '../clock.js';
import { AdaptiveLimit } from './adaptive-limit.js';
import type { Upstream } from './errors.js';
import type { GateRequest } from './gate-request.js';
import { type HoldScope, type HoldScopeKind, scopeKey, scopesOf } from './limit-scope.js';
import { NEAR_LIMIT_FACTOR, Pacer, THROTTLED_FACTOR } from './pacer.js';
import { isFeedRequest } from './feed-first.js';
import { StoppedError } from './retry.js';
import { announceWait } from './wait-watch.js';

export type { GateRequest } from './gate-request.js';
export type { HoldScope, HoldScopeKind } from './limit-scope.js';

/** Writes per second to one issue once Jira has said that issue is near or past its write limit. */
const PER_ISSUE_START_RATE = 1;

export interface RateGateOptions {
  clock: Clock;
  /** Most requests in flight at once; the gate lowers it under upstream-wide 429s and raises it back after. */
  concurrency: number;
  /** Time spent held or paced, by the kind of scope that held it, for `reconciler_upstream_throttled_seconds_total`. */
  onThrottled?: (seconds: number, scope: HoldScopeKind) => void;
  /** The process is stopping: a hold or pace being waited out is dropped and its request not sent (StoppedError). */
  signal?: AbortSignal;
  /** Named in the StoppedError; 'jira' when not given. */
  upstream?: Upstream;
}

/**
 * One gate per upstream (per Airflow instance), shared by every request to it. A 429's Retry-After holds
 * exactly the scope the answer names (the whole upstream, one endpoint and method, or one issue's writes)
 * until it expires; an `X-RateLimit-NearLimit` paces that scope before a 429 comes. Nothing reaches the
 * upstream inside an unexpired hold of its scope, and nothing outside the scope waits for it.
 */
export class RateGate {
  private readonly until = new Map<string, number>();
  private readonly pacers = new Map<string, Pacer>();
  private readonly limit: AdaptiveLimit;

  constructor(private readonly options: RateGateOptions) {
    this.limit = new AdaptiveLimit(options.concurrency);
  }

  /** The current concurrency, for logs and tests. */
  get concurrency(): number {
    return this.limit.current;
  }

  /**
   * Waits out any hold and pacing that covers the request, then for a slot; call the returned function
   * when done. A change feed's request (asFeed) is held like any other, but goes ahead of ticket requests
   * in the pace and in the line for a slot: a busy queue must not starve the feed.
   */
  async admit(request: GateRequest): Promise<() => void> {
    const feed = isFeedRequest();
    let waited = 0;
    for (;;) {
      waited = await this.waitOutHolds(request, waited);
      await this.waitForPace(request, waited, feed);
      // A hold may have begun while this request waited for its pace or its slot.
      if (this.holds(request, waited)) continue;
      const release = await this.limit.acquire(feed);
      if (!this.holds(request, waited)) return release;
      release();
    }
  }

  /** A 429 answered: hold the scope until `untilMs` and slow it down. */
  hold(scope: HoldScope, untilMs: number, sentAtMs?: number): void {
    const key = scopeKey(scope);
    this.until.set(key, Math.max(this.until.get(key) ?? 0, untilMs));
    const pacer = this.pacer(key);
    pacer.slowDown(this.options.clock.now().getTime(), sentAtMs ?? Number.POSITIVE_INFINITY, THROTTLED_FACTOR);
    pacer.resumeAt(this.until.get(key) ?? untilMs);
    // Only a limit on the whole upstream says it is overloaded; a scoped one leaves the rest at full speed.
    if (scope.kind === 'tenant') this.limit.decrease();
  }

  /** An answer said the scope is near its limit (`X-RateLimit-NearLimit: true`): pace it. */
  nearLimit(scope: HoldScope, sentAtMs: number): void {
    this.pacer(scopeKey(scope)).slowDown(this.options.clock.now().getTime(), sentAtMs, NEAR_LIMIT_FACTOR);
  }

  /** A request went through without a limit signal. */
  succeeded(request?: GateRequest, sentAtMs?: number): void {
    this.limit.increase();
    if (!request || sentAtMs === undefined) return;
    for (const scope of scopesOf(request)) this.pacers.get(scopeKey(scope))?.speedUp(sentAtMs);
  }

  /** The instant until which this request is held (0 when it is not). */
  heldUntil(request: GateRequest): number {
    return this.heldBy(request).until;
  }

  /** Requests per second a scope is paced at; null when it is not paced. */
  pacedRate(scope: HoldScope): number | null {
    return this.pacers.get(scopeKey(scope))?.currentRate ?? null;
  }

  private heldBy(request: GateRequest): { until: number; kind: HoldScopeKind } {
    let longest = { until: 0, kind: 'tenant' as HoldScopeKind };
    for (const scope of scopesOf(request)) {
      const until = this.until.get(scopeKey(scope)) ?? 0;
      if (until > longest.until) longest = { until, kind: scope.kind };
    }
    return longest;
  }

  /** Whether a hold covers the request now, beyond what it has already waited out. */
  private holds(request: GateRequest, waited: number): boolean {
    const until = this.heldUntil(request);
    return until > this.options.clock.now().getTime() && until > waited;
  }

  /**
   * Sleeps until the hold ends; returns the instant waited for. A hold once waited out is done even if
   * the clock did not move (a test's clock); a longer one set meanwhile is waited too.
   */
  private async waitOutHolds(request: GateRequest, alreadyWaited: number): Promise<number> {
    let waited = alreadyWaited;
    while (this.holds(request, waited)) {
      const now = this.options.clock.now().getTime();
      const { until, kind } = this.heldBy(request);
      this.options.onThrottled?.((until - now) / 1000, kind);
      // A hold of the whole upstream holds every ticket alike: setting this one aside would only start another into it.
      if (kind !== 'tenant') announceWait(until, `held by a 429 (${kind} scope)`);
      await this.sleep(until - now);
      waited = until;
    }
    this.forgetExpired();
    return waited;
  }

  /**
   * Takes the request's slot in every paced scope it falls in and sleeps until the latest of them. Time
   * already waited out in a hold counts as passed, as in waitOutHolds.
   */
  private async waitForPace(request: GateRequest, waited: number, first: boolean): Promise<void> {
    const now = Math.max(this.options.clock.now().getTime(), waited);
    let start = now;
    let kind: HoldScopeKind = 'tenant';
    for (const scope of scopesOf(request)) {
      const key = scopeKey(scope);
      // Per-issue pacers exist only once Jira has signalled about that issue; the others measure every request.
      const pacer = scope.kind === 'issue' ? this.pacers.get(key) : this.pacer(key);
      if (!pacer) continue;
      const at = first ? pacer.reserveFirst(now) : pacer.reserve(now);
      if (at > start) {
        start = at;
        kind = scope.kind;
      }
    }
    if (start <= now) return;
    this.options.onThrottled?.((start - now) / 1000, kind);
    await this.sleep(start - now);
  }

  /** A wait the stop signal cuts short: the request behind it is then not sent. */
  private async sleep(ms: number): Promise<void> {
    const { signal } = this.options;
    if (!signal?.aborted) await this.options.clock.sleep(ms, signal);
    if (signal?.aborted) throw new StoppedError(this.options.upstream ?? 'jira');
  }

  private pacer(key: string): Pacer {
    let pacer = this.pacers.get(key);
    if (!pacer) {
      pacer = new Pacer(key.startsWith('issue ') ? PER_ISSUE_START_RATE : null);
      this.pacers.set(key, pacer);
    }
    return pacer;
  }

  /** Expired holds, and calm per-issue pacers, are dropped so the maps stay the size of what is limited now. */
  private forgetExpired(): void {
    const now = this.options.clock.now().getTime();
    for (const [key, until] of this.until) {
      if (until <= now) this.until.delete(key);
    }
    for (const [key, pacer] of this.pacers) if (key.startsWith('issue ') && pacer.idle(now)) this.pacers.delete(key);
  }
}
