/** A bucket's size: `perSecond` tokens flow in each second, up to `burst` (default one second's worth). */
export interface BucketSpec {
  perSecond: number;
  burst?: number;
}

/** A token bucket on an injected clock (ms): the algorithm Atlassian says Jira Cloud's burst limits use. */
export class TokenBucket {
  readonly capacity: number;
  private tokens: number;
  private at: number;

  constructor(
    private readonly spec: BucketSpec,
    now: number,
  ) {
    checkBucketSpec(spec);
    this.capacity = spec.burst ?? Math.max(1, spec.perSecond);
    this.tokens = this.capacity;
    this.at = now;
  }

  /** Tokens left now. */
  level(now: number): number {
    this.refill(now);
    return this.tokens;
  }

  /** Takes one token; false (nothing taken) when less than one is left. */
  take(now: number): boolean {
    this.refill(now);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Milliseconds until a token is there. */
  msUntilToken(now: number): number {
    this.refill(now);
    return this.tokens >= 1 ? 0 : ((1 - this.tokens) / this.spec.perSecond) * 1000;
  }

  private refill(now: number): void {
    if (now > this.at) this.tokens = Math.min(this.capacity, this.tokens + ((now - this.at) / 1000) * this.spec.perSecond);
    this.at = Math.max(this.at, now);
  }
}

/** Refuses a bucket that could never let a request through. */
export function checkBucketSpec(spec: BucketSpec): void {
  if (!(spec.perSecond > 0) || (spec.burst !== undefined && !(spec.burst >= 1))) {
    throw new Error(`A rate limit needs perSecond > 0 and burst >= 1; got perSecond ${spec.perSecond}, burst ${String(spec.burst)}`);
  }
}
