import type { Clock } from '../clock.js';
import type { Logger } from '../observability/logger.js';
import type { Outbox, OutboxRow } from '../store/outbox-repo.js';
import { retryDelayMs } from './backoff.js';
import { Notification } from './notification.js';
import { NotifyError, type Notifier } from './notifier.js';
import type { PendingRecords } from './pending-records.js';

/*
 * Delivery rule. Slack webhooks and SMTP take no idempotency key, so no sender can promise exactly
 * once across a crash; this one promises:
 * - never lost: a row is claimed (attempts + 1, due again when its lease ends) in a committed write
 *   before the send starts, and marked sent only after the far side accepted it. A process that dies
 *   anywhere in between leaves a claimed row that falls due again when the next process takes the state
 *   lock (releaseClaims), or else when the lease ends, and is resent,
 *   until it is sent or maxAttempts is used up (a claim counts as an attempt, so a message that crashes
 *   the sender is not retried forever).
 * - never repeated, except in one window: the far side accepted the message and the process died (or
 *   was frozen past its lease) before the `sent` write committed: the answer's way back plus one SQLite
 *   write, or one unfenced PostgreSQL statement. Then the next leader sends the message again. A `sent`
 *   write that fails (the database cut off) is kept in memory and made by the next drain, so it does not
 *   widen the window. E-mail resends carry the same Message-ID, which many mail systems collapse into one.
 * - never enqueued twice: enqueue ignores a repeated event key, so replaying the step that enqueues is safe.
 * A drain never overlaps itself within the lease: the lease (minutes) is far longer than one send's
 * timeout, and a drain stops starting sends once its budget is spent.
 */

/** The counter behind reconciler_notifications_total{channel,result}. */
export interface NotificationCounter {
  inc(labels: { channel: string; result: NotificationResult }): void;
}
export type NotificationResult = 'sent' | 'failed' | 'given_up';

export interface DrainPolicy {
  /** Sends per notification, the first included, before it is given up. */
  maxAttempts: number;
  firstDelayMs: number;
  maxDelayMs: number;
  /** How long a claimed row waits before a crashed send is presumed and it is sent again. */
  leaseMs: number;
  /** No send starts after this much of the drain has passed (a send in flight ends by its own timeout). */
  budgetMs: number;
  /** Rows looked at per drain. */
  batchSize: number;
}

export const DEFAULT_DRAIN_POLICY: DrainPolicy = {
  maxAttempts: 5,
  firstDelayMs: 30_000,
  maxDelayMs: 30 * 60_000,
  leaseMs: 10 * 60_000,
  budgetMs: 15_000,
  batchSize: 50,
};

export interface DrainDeps {
  outbox: Outbox;
  /** The configured channels by name; a row for a channel not here is given up. */
  notifiers: ReadonlyMap<string, Notifier>;
  clock: Clock;
  log: Logger;
  counter: NotificationCounter;
  policy?: Partial<DrainPolicy>;
  /**
   * Checked before each claim and each send; a throw ends the drain and sends nothing more. Several
   * replicas: only a leader whose lease outlasts the send's timeout may send (the write guard).
   */
  beforeSend?: () => void;
  /**
   * Rows the far side accepted whose `sent` record failed (the database was cut off just then), kept for
   * the process's life and recorded again promptly (pending-records.ts); each drain records them first
   * and never sends them again.
   */
  unrecorded?: Pick<PendingRecords, 'size' | 'has' | 'add' | 'flush'>;
}

export interface DrainResult {
  sent: number;
  /** Failed sends that will be retried. */
  failed: number;
  givenUp: number;
  /** The wait before each retry scheduled by this drain, in order: the backoff asked for. */
  retryInMs: number[];
}

/**
 * Sends the notifications that are due, oldest first. Never throws and never waits for a retry: a
 * failed send gets a due time in the store, and the next drain after it sends again.
 */
export async function drainOutbox(deps: DrainDeps): Promise<DrainResult> {
  const policy = { ...DEFAULT_DRAIN_POLICY, ...deps.policy };
  const result: DrainResult = { sent: 0, failed: 0, givenUp: 0, retryInMs: [] };
  try {
    if (deps.unrecorded?.size) await deps.unrecorded.flush();
    const deadline = deps.clock.now().getTime() + policy.budgetMs;
    // A channel that just failed is likely down: its other rows wait for the next drain, not for its timeout.
    const failing = new Set<string>();
    for (const row of await deps.outbox.due(deps.clock.now(), policy.batchSize)) {
      if (deps.clock.now().getTime() >= deadline) break;
      if (!mayStillSend(deps)) break;
      if (failing.has(row.channel) || deps.unrecorded?.has(row.id)) continue;
      const outcome = await sendOne(deps, policy, row);
      if (outcome === 'sent') result.sent += 1;
      else if (outcome === 'given_up') result.givenUp += 1;
      else if (outcome !== 'skipped') {
        result.failed += 1;
        result.retryInMs.push(outcome.retryInMs);
        failing.add(row.channel);
      }
    }
  } catch (error) {
    deps.log.error({ err: error }, 'Sending notifications failed; the unsent ones stay in the outbox for the next pass');
  }
  return result;
}

type Outcome = 'sent' | 'given_up' | 'skipped' | { retryInMs: number };

/**
 * False once this process may no longer send: a claimed row it leaves is a send cut short, which the
 * next leader releases and sends once.
 */
function mayStillSend(deps: DrainDeps): boolean {
  if (!deps.beforeSend) return true;
  try {
    deps.beforeSend();
    return true;
  } catch (error) {
    deps.log.info({ reason: error instanceof Error ? error.message : String(error) }, 'Notifications left for the leader: this process may not send now');
    return false;
  }
}

async function sendOne(deps: DrainDeps, policy: DrainPolicy, due: OutboxRow): Promise<Outcome> {
  const { outbox, clock } = deps;
  const log = deps.log.child({ channel: due.channel, eventKey: due.eventKey });
  const notifier = deps.notifiers.get(due.channel);
  if (!notifier) return giveUp(deps, log, due, `the ${due.channel} channel is not configured any more`);
  const parsed = Notification.safeParse(due.payload);
  if (!parsed.success) return giveUp(deps, log, due, `the stored notification is malformed: ${parsed.error.message}`);
  if (due.claimedAt !== null) {
    if (due.attempts >= policy.maxAttempts) {
      return giveUp(deps, log, due, `a send started at ${due.claimedAt} never finished (the process stopped), and no attempts are left`);
    }
    log.warn({ claimedAt: due.claimedAt, attempt: due.attempts + 1 }, 'Sending a notification again: the send started before a restart never finished');
  }
  const row = await outbox.claim(due.id, clock.now(), policy.leaseMs);
  if (!row) return 'skipped';
  // The claim took a round trip: the lease is asked again right before the message leaves.
  if (!mayStillSend(deps)) return 'skipped';

  try {
    await notifier.send(parsed.data, row.eventKey);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const permanent = error instanceof NotifyError && error.permanent;
    if (permanent || row.attempts >= policy.maxAttempts) {
      const why = permanent ? reason : `${reason} (attempt ${row.attempts} of ${policy.maxAttempts})`;
      return giveUp(deps, log, row, why);
    }
    const retryInMs = retryDelayMs(row.attempts, policy);
    await outbox.markFailed(row.id, reason, new Date(clock.now().getTime() + retryInMs));
    deps.counter.inc({ channel: row.channel, result: 'failed' });
    log.warn({ attempt: row.attempts, of: policy.maxAttempts, retryInMs, error: reason }, 'Notification not sent; it will be retried');
    return { retryInMs };
  }
  deps.counter.inc({ channel: row.channel, result: 'sent' });
  try {
    await outbox.markSent(row.id, clock.now());
  } catch (error) {
    if (!deps.unrecorded) throw error;
    deps.unrecorded.add(row.id);
    log.warn({ err: error, attempt: row.attempts }, 'Notification sent, but recording it failed; it is recorded as soon as the database answers, and not sent again');
    return 'sent';
  }
  log.info({ attempt: row.attempts }, 'Notification sent');
  return 'sent';
}

async function giveUp(deps: DrainDeps, log: Logger, row: OutboxRow, reason: string): Promise<'given_up'> {
  await deps.outbox.giveUp(row.id, reason, deps.clock.now());
  deps.counter.inc({ channel: row.channel, result: 'given_up' });
  log.error({ attempts: row.attempts, error: reason }, 'Notification given up: it will not be sent');
  return 'given_up';
}
