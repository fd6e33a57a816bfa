export type Upstream = 'jira' | 'airflow';

export type UpstreamErrorKind =
  | 'transient' // network failure, timeout, 5xx: retried
  | 'rate_limited' // 429: retried after retryAfterMs
  | 'auth' // 401/403
  | 'not_found' // 404
  | 'conflict' // 409
  | 'gone' // 410
  | 'bad_request' // other 4xx
  | 'bad_response'; // 2xx whose body is not what the API documents

export class UpstreamError extends Error {
  override readonly name = 'UpstreamError';
  constructor(
    readonly upstream: Upstream,
    readonly kind: UpstreamErrorKind,
    message: string,
    readonly details: { status?: number; retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
  }

  get status(): number | undefined {
    return this.details.status;
  }

  get retryable(): boolean {
    return this.kind === 'transient' || this.kind === 'rate_limited';
  }
}

export function isUpstreamError(error: unknown, kind?: UpstreamErrorKind): error is UpstreamError {
  return error instanceof UpstreamError && (kind === undefined || error.kind === kind);
}

export function kindForStatus(status: number): UpstreamErrorKind {
  if (status === 429) return 'rate_limited';
  if (status === 401 || status === 403) return 'auth';
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  if (status === 410) return 'gone';
  if (status === 408 || status >= 500) return 'transient';
  return 'bad_request';
}
