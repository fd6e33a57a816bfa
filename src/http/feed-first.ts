import { AsyncLocalStorage } from 'node:async_hooks';

const feeds = new AsyncLocalStorage<true>();

/**
 * Runs `fn` with its requests marked as the change feeds' (the Jira search, Airflow's changed-runs list):
 * the gates let them go ahead of ticket work, so a busy queue cannot starve the feed. The gateways are
 * shared, so the async context is what tells a feed request from a ticket's.
 */
export function asFeed<T>(fn: () => Promise<T>): Promise<T> {
  return feeds.run(true, fn);
}

/** Whether the request being sent now belongs to a change feed. */
export function isFeedRequest(): boolean {
  return feeds.getStore() === true;
}
