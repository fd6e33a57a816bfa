import type { Clock } from '../clock.js';
import type { Situation } from './decide.js';
import type { WorkQueue, WorkResult } from './queue.js';

export interface DispatchOptions {
  clock: Clock;
  /** Items may be set aside and left to their workers (the daemon's queue); otherwise each is worked to its end. */
  detach: boolean;
  /** When the next feed poll is due: what is still being worked then is left to its worker and the pass ends. */
  until?: Date;
  /** The tickets in hand when the pass began to gather (`WorkQueue.inHand`): left to their workers. */
  gatheredWhile?: ReadonlySet<string>;
}

/**
 * Hands each gathered item to the queue and collects what each came back with: its result, or a set-aside
 * report when it must wait on its own hold or backoff, or is still being worked when the next poll is
 * due. A pass only dispatches: the queue owns the slots, and the pass never waits for a set-aside worker.
 */
export async function dispatch(queue: WorkQueue, items: readonly Situation[], work: (item: Situation) => Promise<WorkResult>, options: DispatchOptions): Promise<WorkResult[]> {
  const passDone = new AbortController();
  const due = options.until ? nextPollDue(options.clock, options.until, passDone.signal) : null;
  try {
    return await Promise.all(
      items.map((item) => {
        const key = item.ticket?.key ?? item.record?.jiraIssueKey ?? 'unknown';
        const requestId = item.record?.requestId ?? item.ticket?.requestId ?? null;
        const result = queue.work(key, requestId, () => work(item), { mayPutAside: options.detach, ...(options.gatheredWhile ? { gatheredWhile: options.gatheredWhile } : {}) });
        if (!due) return result;
        const at = options.until?.toISOString() ?? '';
        return Promise.race([result, due.then((): WorkResult => ({ report: { issue: key, requestId, dagRunId: item.record?.airflowDagRunId ?? null, outcome: 'set-aside', detail: `still being worked when the next poll came due at ${at}` } }))]);
      }),
    );
  } finally {
    passDone.abort();
  }
}

/** Resolves when the next poll is due; never, once the pass has ended (its timer is dropped). */
function nextPollDue(clock: Clock, until: Date, passDone: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    void clock.sleep(Math.max(0, until.getTime() - clock.now().getTime()), passDone).then(() => {
      if (!passDone.aborted) resolve();
    });
  });
}
