/** A NearLimit cuts the rate by this much; a 429 by half. */
export const NEAR_LIMIT_FACTOR = 0.8;
export const THROTTLED_FACTOR = 0.5;
/** Each clean answer raises the rate by this share, up to half again the rate that last drew a signal. */
const GROWTH = 0.02;
/** A paced scope never grows past this multiple of the rate that drew the last signal (demand may lag the rate). */
const CEILING_FACTOR = 1.5;
/** With no signal for this long the scope goes unpaced again. */
export const CALM_MS = 30_000;
/** Weight of the newest gap in the measured spacing of unpaced requests. */
const GAP_WEIGHT = 0.2;

/**
 * Spaces out the requests of one scope after the upstream said it is near (or past) its limit: the rate
 * falls by a factor on each signal (at most once per round trip: only answers to requests sent after the
 * last cut count) and creeps back up on clean answers, never far above the rate that drew the signal. A scope
 * calm for CALM_MS goes unpaced. Times are epoch milliseconds from the injected clock.
 */
export class Pacer {
  private rate: number | null = null;
  private ceiling = Number.POSITIVE_INFINITY;
  private nextAt = Number.NEGATIVE_INFINITY;
  private cutAt = Number.NEGATIVE_INFINITY;
  private signalAt = Number.NEGATIVE_INFINITY;
  private lastStart: number | null = null;
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
    if (this.rate !== null && now - this.signalAt > CALM_MS) this.rate = null;
    if (this.lastStart !== null) {
      const gap = Math.max(0, now - this.lastStart);
      this.gapMs = this.gapMs === null ? gap : this.gapMs + GAP_WEIGHT * (gap - this.gapMs);
    }
    this.lastStart = now;
    if (this.rate === null) return now;
    const start = Math.max(now, this.nextAt);
    this.nextAt = start + 1000 / this.rate;
    return start;
  }

  /** A limit signal on the answer to a request sent at `sentAt`: cut the rate by `factor`. */
  slowDown(now: number, sentAt: number, factor: number): void {
    this.signalAt = now;
    if (sentAt < this.cutAt) return;
    const before = this.rate ?? this.measuredRate();
    if (before === null) return;
    this.ceiling = before * CEILING_FACTOR;
    this.rate = Math.max(before * factor, 0.01);
    this.cutAt = now;
  }

  /** A clean answer to a request sent at `sentAt`: raise the rate a little. */
  speedUp(sentAt: number): void {
    if (this.rate === null || sentAt < this.cutAt) return;
    this.rate = Math.min(this.ceiling, this.rate * (1 + GROWTH));
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
