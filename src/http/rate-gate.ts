import type { Clock } from '../clock.js';
import { AdaptiveLimit } from './adaptive-limit.js';

/** Who a 429 holds back: every request to the upstream, or only the writes to one issue. */
export type HoldScope = { kind: 'tenant' } | { kind: 'issue'; issue: string };

/** What the gate needs to know of a request before letting it go. */
export interface GateRequest {
  /** The Jira issue key in the path, if any. */
  issue?: string | undefined;
  write: boolean;
}

export interface RateGateOptions {
  clock: Clock;
  /** Most requests in flight at once; the gate lowers it under 429s and raises it back after. */
  concurrency: number;
  /** Time spent held, for `reconciler_upstream_throttled_seconds_total`. */
  onThrottled?: (seconds: number) => void;
}

/**
 * One gate per upstream, shared by every request to it: a 429's Retry-After holds all of them (or one
 * issue's writes, for Jira's per-issue write limit) until it expires, and concurrency adapts down under
 * 429s. Nothing reaches the upstream inside an unexpired hold of its scope.
 */
export class RateGate {
  private tenantUntil = 0;
  private readonly issueUntil = new Map<string, number>();
  private readonly limit: AdaptiveLimit;

  constructor(private readonly options: RateGateOptions) {
    this.limit = new AdaptiveLimit(options.concurrency);
  }

  /** The current concurrency, for logs and tests. */
  get concurrency(): number {
    return this.limit.current;
  }

  /** Waits out any hold that covers the request, then for a slot; call the returned function when done. */
  async admit(request: GateRequest): Promise<() => void> {
    let waited = 0;
    for (;;) {
      waited = await this.waitOutHolds(request, waited);
      const release = await this.limit.acquire();
      // A longer hold may have begun while this request waited for its slot.
      if (!this.holds(request, waited)) return release;
      release();
    }
  }

  /** A 429 answered: hold the scope until `untilMs` and slow down. */
  hold(scope: HoldScope, untilMs: number): void {
    if (scope.kind === 'tenant') this.tenantUntil = Math.max(this.tenantUntil, untilMs);
    else this.issueUntil.set(scope.issue, Math.max(this.issueUntil.get(scope.issue) ?? 0, untilMs));
    this.limit.decrease();
  }

  /** A request went through without a 429. */
  succeeded(): void {
    this.limit.increase();
  }

  /** The instant until which this request is held (0 when it is not). */
  heldUntil(request: GateRequest): number {
    const issue = request.write && request.issue ? (this.issueUntil.get(request.issue) ?? 0) : 0;
    return Math.max(this.tenantUntil, issue);
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
      const until = this.heldUntil(request);
      this.options.onThrottled?.((until - now) / 1000);
      await this.options.clock.sleep(until - now);
      waited = until;
    }
    if (request.issue && (this.issueUntil.get(request.issue) ?? 0) <= this.options.clock.now().getTime()) this.issueUntil.delete(request.issue);
    return waited;
  }
}
