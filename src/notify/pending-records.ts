import type { Logger } from '../observability/logger.js';

/** How soon a failed `sent` record is made again: well inside any lease, so no next leader sends it first. */
const RETRY_MS = 200;

/**
 * Deliveries the far side accepted whose `sent` record failed (the database cut off just then). They are
 * recorded again every RETRY_MS by a timer of their own, leading or not (the record is not fenced, see
 * SyncOutbox.markSent), and by each drain before it claims anything; a drain never sends one again.
 * Without this, such a row is a claim left unfinished, and the next leader would send its message twice.
 */
export class PendingRecords {
  private readonly ids = new Set<number>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly record: (id: number) => Promise<void>,
    private readonly log: Pick<Logger, 'info' | 'debug'>,
  ) {}

  get size(): number {
    return this.ids.size;
  }

  has(id: number): boolean {
    return this.ids.has(id);
  }

  add(id: number): void {
    this.ids.add(id);
    this.schedule();
  }

  /** Records every pending delivery it can now; what still fails stays for the timer. */
  flush(): Promise<void> {
    this.flushing ??= this.recordAll().finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  /** No more retries (the process is closing its store). */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private async recordAll(): Promise<void> {
    for (const id of [...this.ids]) {
      try {
        await this.record(id);
        this.ids.delete(id);
        this.log.info({ outboxId: id }, 'Recorded a notification sent earlier');
      } catch (error) {
        this.log.debug({ err: error, outboxId: id }, 'A notification sent earlier is still not recorded; trying again');
      }
    }
  }

  private schedule(): void {
    if (this.timer || this.stopped || this.ids.size === 0) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush().then(() => this.schedule());
    }, RETRY_MS);
    // A pending record never keeps the process alive by itself: the next start's drain sends nothing twice
    // only if it was made, which is what the retries are for while the process runs.
    this.timer.unref();
  }
}
