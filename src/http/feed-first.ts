import { AsyncLocalStorage } from 'node:async_hooks';

interface FeedContext {
  /** When the next poll starts (epoch ms): a feed read does not back off past it. */
  untilMs: number | undefined;
}

const feeds = new AsyncLocalStorage<FeedContext>();

/**
 * Runs `fn` with its requests marked as the change feeds' (the Jira search, Airflow's changed-runs list):
 * the gates let them go ahead of ticket work, so a busy queue cannot starve the feed. The gateways are
 * shared, so the async context is what tells a feed request from a ticket's. With `until` (the daemon's
 * next poll), a failed feed read whose backoff would end after it is not retried: the next poll reads the
 * feed again on schedule, sooner than the backoff would.
 */
export function asFeed<T>(fn: () => Promise<T>, until?: Date): Promise<T> {
  return feeds.run({ untilMs: until?.getTime() }, fn);
}

/** Whether the request being sent now belongs to a change feed. */
export function isFeedRequest(): boolean {
  return feeds.getStore() !== undefined;
}

/** When the next poll starts, for a feed request of a daemon's pass; undefined otherwise. */
export function feedDeadline(): number | undefined {
  return feeds.getStore()?.untilMs;
}
