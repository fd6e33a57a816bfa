/**
 * A request refused before it left the process (the leader lease's write guard). jira.js rewraps errors
 * thrown under it and keeps only their message, code and cause, so the mark is the code, looked for down
 * the cause chain.
 */
export const NOT_SENT_CODES: ReadonlySet<string> = new Set(['ERR_LEASE_LOST', 'ERR_REQUEST_NOT_SENT']);

/** The refusal, when `error` (or something it wraps) is one: its message says why. */
export function notSentReason(error: unknown): string | null {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && NOT_SENT_CODES.has(code)) return (current as { message?: unknown }).message?.toString() ?? code;
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}

/** What the adapter throws when a check before sending refuses the request. */
export class RequestNotSentError extends Error {
  override readonly name = 'RequestNotSentError';
  readonly code = 'ERR_REQUEST_NOT_SENT';
}
