/**
 * An upstream write refused before it was sent: this process does not hold the leader lease for longer
 * than the request could take. Not the ticket's failure: the leader (this process again, or another)
 * does the write.
 */
export class LeaseLostError extends Error {
  override readonly name = 'LeaseLostError';
  /** Marks a request that was never sent (src/http/not-sent.ts), through wrappers such as jira.js's. */
  readonly code = 'ERR_LEASE_LOST';
}
