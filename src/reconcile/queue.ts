import type { Clock } from '../clock.js';
import { watchWaits } from '../http/wait-watch.js';
import type { Logger } from '../observability/logger.js';
import type { TicketReport } from './summary.js';

/**
 * A wait shorter than this is waited in line; a longer one sets the ticket aside. Only waits that are the
 * ticket's own are told (a hold of its issue or endpoint, a backoff): a pace or a hold of the whole upstream
 * holds every ticket alike, and setting one aside would only start another into the same wait.
 */
export const SET_ASIDE_AFTER_MS = 1_000;

/** What a worker comes back with; `systemic` when the trouble is an upstream's, not the ticket's. */
export interface WorkResult {
  report: TicketReport;
  systemic?: Error;
}

interface Busy {
  /** Ends when the worker does, set aside or not. */
  done: Promise<void>;
  /** Set once the worker is set aside: when it is due again, and why. */
  dueAt: number | null;
  reason: string;
}

/**
 * The work queue, the second room of the loop, after client-go's workqueue: one worker per ticket at a
 * time, and a ticket whose next request must wait (a 429 hold, a 5xx backoff) is set aside with its due
 * time, as controller-runtime's RequeueAfter, instead of holding the pass. Its worker goes on by itself
 * and sends that request when it is due, not at the next interval; the next passes leave the ticket to it.
 * One queue lives as long as the daemon; a one-shot pass has none and works every item to its end.
 */
export class WorkQueue {
  private readonly busy = new Map<string, Busy>();

  constructor(
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  /** Tickets whose worker is still going (set aside or not), for tests and the stop. */
  get working(): number {
    return this.busy.size;
  }

  /**
   * Runs the ticket's worker and resolves with its result, or, as soon as it would wait longer than
   * SET_ASIDE_AFTER_MS, with a set-aside report naming when it is due. A ticket already being worked is
   * set aside at once: its worker has it.
   */
  work(key: string, requestId: string | null, run: () => Promise<WorkResult>): Promise<WorkResult> {
    const current = this.busy.get(key);
    if (current) return Promise.resolve(setAside(key, requestId, current.dueAt, `still being worked (${current.reason || 'in progress'})`));
    return new Promise<WorkResult>((resolve) => {
      let answered = false;
      const entry: Busy = { done: Promise.resolve(), dueAt: null, reason: '' };
      const onWait = (untilMs: number, reason: string): void => {
        const now = this.clock.now().getTime();
        entry.dueAt = untilMs;
        entry.reason = reason;
        if (answered || untilMs - now < SET_ASIDE_AFTER_MS) return;
        answered = true;
        resolve(setAside(key, requestId, untilMs, reason));
      };
      entry.done = watchWaits(onWait, run).then(
        (result) => {
          this.busy.delete(key);
          if (!answered) return resolve(result);
          this.log.info({ issue: key, outcome: result.report.outcome, detail: result.report.detail }, 'A set-aside ticket request was worked');
        },
        (error: unknown) => {
          this.busy.delete(key);
          this.log.error({ issue: key, err: error }, 'A ticket worker failed');
          if (!answered) resolve(setAside(key, requestId, null, error instanceof Error ? error.message : String(error)));
        },
      );
      this.busy.set(key, entry);
    });
  }

  /** Resolves once every worker has ended (after a stop, their waits are dropped, so this is quick). */
  async idle(): Promise<void> {
    while (this.busy.size > 0) await Promise.all([...this.busy.values()].map((entry) => entry.done));
  }
}

function setAside(issue: string, requestId: string | null, dueAt: number | null, reason: string): WorkResult {
  const due = dueAt === null ? '' : ` until ${new Date(dueAt).toISOString()}`;
  return { report: { issue, requestId, dagRunId: null, outcome: 'set-aside', detail: `${reason}${due}` } };
}
