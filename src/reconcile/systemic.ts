import { UpstreamError } from '../http/errors.js';

/** Upstream trouble that is not about one ticket: down, refusing our credentials, or not the API at all. */
export function isSystemic(error: unknown): boolean {
  if (!(error instanceof UpstreamError)) return true;
  return error.retryable || error.kind === 'auth' || error.kind === 'bad_response' || error.kind === 'gone';
}
