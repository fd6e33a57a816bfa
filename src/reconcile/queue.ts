import type { Clock } from '../clock.js';
import { BACKOFF_MAX_MS } from '../http/retry.js';
import { watchWaits } from '../http/wait-watch.js';
import type { Logger } from '../observability/logger.js';
import type { TicketReport } from './summary.js';

/**
 * A wait shorter than this is waited in line; a longer one sets the ticket aside. Only waits that are the
 * ticket's own are told (a hold of its issue or endpoint, a backoff): a pace or a hold of the whole upstream
 * holds every ticket alike, and setting one aside would only start another into the same wait.
 */
export const SET_ASIDE_AFTER_MS = 1_000;

/**
 * A one-shot `reconcile` has no next pass soon to leave a ticket to: it waits out what a 5xx backoff can
 * be (BACKOFF_MAX_MS) and sets aside only longer waits, a 429 held for minutes.
 */
export const ONE_SHOT_SET_ASIDE_AFTER_MS = BACKOFF_MAX_MS;

/** What a worker comes back with; `systemic` when the trouble is an upstream's, not the ticket's. */
export interface WorkResult {
  report: TicketReport;
  systemic?: Error;
}

export interface WorkQueueOptions {
  /** Workers at once (`http.concurrency`), set aside or not; see `work` for the set-aside allowance. */
  concurrency: number;
  /** A wait at least this long sets the ticket aside; Infinity never does (a pass works each item to its end). */
  setAsideAfterMs?: number;
}

export interface WorkOptions {
  /** false: the item is worked to its end, whatever it waits (a dry run; a pass under in-flight caps). */
  mayPutAside?: boolean;
  /**
   * The tickets in hand when the item was gathered (`inHand`). An item of a ticket whose worker (for this
   * request or an earlier one) still ran then is not worked by this pass even if that worker has ended
   * since: the item shows the ticket as it was before the worker's writes (its final comment, say), and
   * working it would repeat them or race them. Two requests of one ticket gathered by the same pass (an
   * old run followed, its re-run) are still worked side by side, as they always were.
   */
  gatheredWhile?: ReadonlySet<string>;
}

interface Busy {
  /** Ends when the worker does, set aside or not. */
  done: Promise<void>;
  /** Set once the worker must wait: when it is due again, and why. */
  dueAt: number | null;
  reason: string;
  /** The slot it holds: none while it waits for one, `aside` once it moved to the set-aside allowance. */
  slot: 'none' | 'active' | 'aside';
}

/**
 * The work queue, the second room of the loop, after client-go's workqueue: one worker per ticket request
 * at a time, at most `concurrency` of them, and a ticket whose next request must wait (a 429 hold of its
 * scope, a 5xx backoff) is set aside with its due time, as controller-runtime's RequeueAfter, instead of
 * holding the pass. Its worker goes on by itself and sends that request when it is due, not at the next
 * interval; the next passes leave the ticket to it.
 *
 * A set-aside worker keeps a slot: a worker waiting on its own hold sends nothing, so it moves to a
 * second allowance of `concurrency` slots and frees its working slot for new requests and runs whose end
 * was noticed. Once that allowance is full, a worker set aside keeps its working slot, so at most twice
 * `concurrency` tickets are in hand however many are held: the bound that keeps set-aside tickets from
 * piling reservations into an upstream's pace.
 */
export class WorkQueue {
  private readonly busy = new Map<string, Busy>();
  private readonly waiting: Array<() => void> = [];
  private active = 0;
  private aside = 0;
  private readonly concurrency: number;
  private readonly setAsideAfterMs: number;

  constructor(
    private readonly clock: Clock,
    private readonly log: Logger,
    options: WorkQueueOptions,
  ) {
    this.concurrency = Math.max(1, options.concurrency);
    this.setAsideAfterMs = options.setAsideAfterMs ?? SET_ASIDE_AFTER_MS;
  }

  /** Tickets in hand: waiting for a slot, worked, or set aside. */
  get working(): number {
    return this.busy.size;
  }

  /**
   * The tickets in hand now (any of their requests). A pass takes this before it gathers: what it reads of
   * those may be older than what their workers do meanwhile, so it leaves them to their workers (see `work`).
   */
  inHand(): ReadonlySet<string> {
    return new Set([...this.busy.keys()].map((id) => id.split('\u0000')[0] ?? id));
  }

  /** Workers holding a working slot, and set-aside workers holding one of the set-aside allowance. */
  get slots(): { active: number; aside: number; waiting: number } {
    return { active: this.active, aside: this.aside, waiting: this.waiting.length };
  }

  /**
   * Runs the ticket's worker once a slot is free and resolves with its result, or, as soon as it would
   * wait `setAsideAfterMs` or longer, with a set-aside report naming when it is due. A ticket request
   * already in hand is set aside at once: its worker has it (a pass that finds it again does not double it).
   */
  work(key: string, requestId: string | null, run: () => Promise<WorkResult>, options: WorkOptions = {}): Promise<WorkResult> {
    const id = workId(key, requestId);
    const current = this.busy.get(id);
    if (current) return Promise.resolve(stillWorked(key, requestId, current));
    if (options.gatheredWhile?.has(key)) return Promise.resolve(setAside(key, requestId, null, 'its ticket was being worked while this pass gathered; the next pass reads it afresh'));
    const mayPutAside = options.mayPutAside ?? true;
    return new Promise<WorkResult>((resolve) => {
      let answered = false;
      let ended: () => void = () => undefined;
      const entry: Busy = { done: new Promise<void>((end) => (ended = end)), dueAt: null, reason: '', slot: 'none' };
      const onWait = (untilMs: number, reason: string): void => {
        entry.dueAt = untilMs;
        entry.reason = reason;
        if (answered || !mayPutAside || untilMs - this.clock.now().getTime() < this.setAsideAfterMs) return;
        answered = true;
        this.moveAside(entry);
        resolve(setAside(key, requestId, untilMs, reason));
      };
      const start = (): void => {
        this.active++;
        entry.slot = 'active';
        const finish = (): void => {
          this.release(id, entry);
          ended();
        };
        watchWaits(onWait, run).then(
          (result) => {
            finish();
            if (!answered) return resolve(result);
            this.log.info({ issue: key, outcome: result.report.outcome, detail: result.report.detail }, 'A set-aside ticket request was worked');
          },
          (error: unknown) => {
            finish();
            this.log.error({ issue: key, err: error }, 'A ticket worker failed');
            if (!answered) resolve(setAside(key, requestId, null, error instanceof Error ? error.message : String(error)));
          },
        );
      };
      this.busy.set(id, entry);
      this.waiting.push(start);
      this.next();
    });
  }

  /** Resolves once every worker has ended (after a stop, their waits are dropped, so this is quick). */
  async idle(): Promise<void> {
    while (this.busy.size > 0) await Promise.all([...this.busy.values()].map((entry) => entry.done));
  }

  /** A set-aside worker sends nothing while it waits: it frees its working slot if the set-aside allowance has room. */
  private moveAside(entry: Busy): void {
    if (entry.slot !== 'active' || this.aside >= this.concurrency) return;
    this.active--;
    this.aside++;
    entry.slot = 'aside';
    this.next();
  }

  private release(id: string, entry: Busy): void {
    if (entry.slot === 'active') this.active--;
    if (entry.slot === 'aside') this.aside--;
    entry.slot = 'none';
    this.busy.delete(id);
    this.next();
  }

  private next(): void {
    while (this.active < this.concurrency && this.waiting.length > 0) this.waiting.shift()?.();
  }
}

/** One worker per ticket request: an old request still followed and the ticket's new one are two items. */
function workId(key: string, requestId: string | null): string {
  return requestId === null ? key : `${key}\u0000${requestId}`;
}

function setAside(issue: string, requestId: string | null, dueAt: number | null, reason: string): WorkResult {
  const due = dueAt === null ? '' : ` until ${new Date(dueAt).toISOString()}`;
  return { report: { issue, requestId, dagRunId: null, outcome: 'set-aside', detail: `${reason}${due}` } };
}

function stillWorked(issue: string, requestId: string | null, current: Busy): WorkResult {
  const what = current.slot === 'none' ? 'waiting for a worker' : current.reason || 'in progress';
  return setAside(issue, requestId, current.dueAt, `still being worked (${what})`);
}
