/** A NearLimit cuts the rate by this much; a 429 by half. */
export const NEAR_LIMIT_FACTOR = 0.8;
export const THROTTLED_FACTOR = 0.5;
/**
 * While the pace holds requests back, clean answers raise the rate by this share per second (each answer
 * by its part of a second), slowly enough that the budget is not run down before a NearLimit can warn.
 */
const GROWTH_PER_SECOND = 0.05;
/**
 * NearLimit says how much is left, not whether it is still falling: after a cut the budget takes a while to
 * climb back above 20% even at a rate it can sustain, so a NearLimit cuts again only this long after the last.
 */
const NEAR_LIMIT_CUT_SPACING_MS = 1_000;
/**
 * NearLimits alone never take the rate below this share of its peak since the last 429: a budget so small
 * that every answer leaves under 20% would otherwise pace the scope down to nothing.
 */
const NEAR_LIMIT_FLOOR = 0.5;
/** With no signal for this long the scope goes unpaced again. */
export const CALM_MS = 30_000;
/** Weight of the newest gap in the measured spacing of unpaced requests. */
const GAP_WEIGHT = 0.2;

/**
 * Spaces out the requests of one scope after the upstream said it is near (or past) its limit: the rate
 * falls by a factor on a signal (at most once per round trip: only answers to requests sent after the
 * last cut count) and creeps back up on clean answers while the pace is what holds requests back. A scope
 * calm for CALM_MS goes unpaced. Times are epoch milliseconds from the injected clock.
 */
export class Pacer {
  private rate: number | null = null;
  private peak = 0;
  private nextAt = Number.NEGATIVE_INFINITY;
  private cutAt = Number.NEGATIVE_INFINITY;
  private signalAt = Number.NEGATIVE_INFINITY;
  private lastStart: number | null = null;
  private paceBound = false;
  private gapMs: number | null = null;

  /**
   * `fallbackRate`: the rate a signal starts pacing at when the scope has no history to measure (per-issue
   * pacers are made on the signal). Without it, a signal on a scope with no measured rate only holds.
   */
  constructor(private readonly fallbackRate: number | null = null) {}

  /** Requests per second while paced; null when the scope is unpaced. */
  get currentRate(): number | null {
    return this.rate;
  }

  /** Whether the pacer holds nothing worth keeping (unpaced and calm). */
  idle(now: number): boolean {
    return this.rate === null || now - this.signalAt > CALM_MS;
  }

  /** The instant this request may start, its slot reserved. */
  reserve(now: number): number {
    this.measure(now);
    if (this.rate === null) return now;
    const start = Math.max(now, this.nextAt);
    this.paceBound = start > now;
    this.nextAt = start + 1000 / this.rate;
    return start;
  }

  /**
   * A slot ahead of the ones already reserved, for a change feed's request: it goes now, and the next
   * request reserved after it starts one slot later, so over time the scope keeps its pace (at most one
   * request more in one slot's time) while a queue of ticket requests cannot hold the feed back.
   */
  reserveFirst(now: number): number {
    this.measure(now);
    if (this.rate === null) return now;
    this.nextAt = Math.max(now, this.nextAt) + 1000 / this.rate;
    return now;
  }

  private measure(now: number): void {
    if (this.rate !== null && now - this.signalAt > CALM_MS) this.rate = null;
    if (this.lastStart !== null) {
      const gap = Math.max(0, now - this.lastStart);
      this.gapMs = this.gapMs === null ? gap : this.gapMs + GAP_WEIGHT * (gap - this.gapMs);
    }
    this.lastStart = now;
  }

  /**
   * A limit signal on the answer to a request sent at `sentAt`: cut the rate by `factor`. A 429 always cuts
   * (once per round trip); a NearLimit at most once per NEAR_LIMIT_CUT_SPACING_MS.
   */
  slowDown(now: number, sentAt: number, factor: number): void {
    this.signalAt = now;
    if (sentAt < this.cutAt) return;
    const throttled = factor !== NEAR_LIMIT_FACTOR;
    // A 429 on a scope no NearLimit warned about starts no pace: its Retry-After hold is the answer. Pacing from a
    // lone 429 would halve the rate on every one, and random 429s (a proxy, a blip) would pace a scope to a crawl.
    if (throttled && this.rate === null && this.fallbackRate === null) return;
    if (factor === NEAR_LIMIT_FACTOR && this.rate !== null && now - this.cutAt < NEAR_LIMIT_CUT_SPACING_MS) return;
    const before = this.rate ?? this.measuredRate();
    if (before === null) return;
    if (throttled || this.rate === null) this.peak = before;
    this.rate = Math.max(before * factor, throttled ? 0.01 : this.peak * NEAR_LIMIT_FLOOR);
    this.cutAt = now;
  }

  /**
   * A clean answer to a request sent at `sentAt`: raise the rate a little, while the pace is what holds the
   * scope back (a rate its requests do not use is not raised, so an idle scope does not burst later).
   */
  speedUp(sentAt: number): void {
    if (this.rate === null || sentAt < this.cutAt || !this.paceBound) return;
    this.rate *= 1 + GROWTH_PER_SECOND / this.rate;
    this.peak = Math.max(this.peak, this.rate);
  }

  /** After a hold: the first request may go the moment it ends. */
  resumeAt(untilMs: number): void {
    this.nextAt = untilMs;
  }

  private measuredRate(): number | null {
    if (this.gapMs === null) return this.fallbackRate;
    return 1000 / Math.max(this.gapMs, 1);
  }
}
