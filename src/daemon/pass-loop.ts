import type { Clock } from '../clock.js';
import type { Schedule } from './schedule.js';

export interface PassLoopOptions {
  clock: Clock;
  schedule: Schedule;
  /** One pass; must not throw (the daemon logs and counts failures itself). */
  runPass: () => Promise<void>;
  /** A scheduled pass came due while the previous one still ran: it starts late, and is counted. */
  onOverrun: () => void;
}

/**
 * Runs passes one at a time until stopped: on the schedule, and at once when asked (SIGUSR1).
 * Passes never overlap; a request during a pass makes the next pass start right after it.
 */
export class PassLoop {
  private running = false;
  private requested = false;
  private stopping = false;
  private wake: (() => void) | null = null;
  private sleeper: AbortController | null = null;

  constructor(private readonly options: PassLoopOptions) {}

  get isRunningPass(): boolean {
    return this.running;
  }

  async run(): Promise<void> {
    const { clock, schedule } = this.options;
    const stopTicks = schedule.start(() => this.requestPass('schedule'));
    try {
      while (!this.stopping) {
        const startedAt = clock.now();
        this.requested = false;
        this.running = true;
        try {
          await this.options.runPass();
        } finally {
          this.running = false;
        }
        if (this.stopping) break;
        await this.waitForNext(startedAt);
      }
    } finally {
      stopTicks();
    }
  }

  /** Asks for a pass now (a signal) or on schedule (a cron tick). */
  requestPass(reason: 'signal' | 'schedule'): void {
    if (this.running) {
      if (reason === 'schedule' && !this.requested) this.options.onOverrun();
      this.requested = true;
      return;
    }
    this.requested = true;
    this.interrupt();
  }

  stop(): void {
    this.stopping = true;
    this.interrupt();
  }

  private interrupt(): void {
    this.sleeper?.abort();
    this.wake?.();
  }

  private async waitForNext(startedAt: Date): Promise<void> {
    if (this.requested || this.stopping) return;
    const delay = this.options.schedule.delayAfter(startedAt, this.options.clock.now());
    if (delay === null) {
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
      this.wake = null;
      return;
    }
    if (delay <= 0) {
      this.options.onOverrun();
      return;
    }
    this.sleeper = new AbortController();
    await this.options.clock.sleep(delay, this.sleeper.signal);
    this.sleeper = null;
  }
}

/**
 * When a pass stops waiting for its tickets: at the next poll, less a tenth of the interval (at most a
 * second) for the pass's own end (the cursor, the notifications), so the next poll starts on time.
 */
export function workUntil(startedAt: Date, intervalMs: number): Date {
  return new Date(startedAt.getTime() + intervalMs - Math.min(intervalMs / 10, 1_000));
}
