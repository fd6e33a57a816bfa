import type { Logger } from 'pino';
import type { Clock } from '../clock.js';

/**
 * Whether the database answers, as leadership's calls find it: one log line when an outage starts and one
 * when it ends, however many calls fail in between.
 */
export class DatabaseOutage {
  private downSince: Date | null = null;

  constructor(
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  get down(): boolean {
    return this.downSince !== null;
  }

  get since(): Date | null {
    return this.downSince;
  }

  failed(error: unknown): void {
    if (this.downSince) return;
    this.downSince = this.clock.now();
    this.log.error({ err: error }, 'The database does not answer: no work and no upstream write until it does');
  }

  answered(): void {
    if (!this.downSince) return;
    const downSeconds = Math.round((this.clock.now().getTime() - this.downSince.getTime()) / 100) / 10;
    this.downSince = null;
    this.log.info({ downSeconds }, 'The database answers again');
  }
}
