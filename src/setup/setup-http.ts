/** A Jira answer setup did not expect; `status` 403 means the account lacks a permission. */
export class SetupHttpError extends Error {
  override readonly name = 'SetupHttpError';
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly detail: string,
  ) {
    super(`${method} ${path} answered ${status}${detail ? `: ${detail}` : ''}`);
  }
}

/** The requests setup sends to Jira, counted: a plan must show how many reads and writes it cost. */
export interface SetupHttp {
  get<T>(path: string, query?: Record<string, string>): Promise<T>;
  post<T>(path: string, body: unknown): Promise<T>;
  readonly counts: { reads: number; writes: number };
}

export interface SetupHttpOptions {
  /** The REST root, e.g. https://example.atlassian.net/rest/api/3. */
  apiUrl: string;
  authorization: string | null;
  timeoutMs: number;
  fetch?: typeof fetch;
}

export function createSetupHttp(options: SetupHttpOptions): SetupHttp {
  const send = options.fetch ?? fetch;
  const counts = { reads: 0, writes: 0 };
  async function request<T>(method: 'GET' | 'POST', path: string, query: Record<string, string> | undefined, body: unknown): Promise<T> {
    if (method === 'GET') counts.reads++;
    else counts.writes++;
    const url = `${options.apiUrl}${path}${query ? `?${new URLSearchParams(query).toString()}` : ''}`;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (options.authorization) headers.authorization = options.authorization;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await send(url, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    const text = await response.text();
    if (!response.ok) throw new SetupHttpError(method, path, response.status, errorText(text));
    return (text === '' ? null : JSON.parse(text)) as T;
  }
  return {
    get: (path, query) => request('GET', path, query, undefined),
    post: (path, body) => request('POST', path, undefined, body),
    counts,
  };
}

/** Jira's ErrorCollection, flattened to one line. */
function errorText(text: string): string {
  try {
    const body = JSON.parse(text) as { errorMessages?: string[]; errors?: Record<string, string> };
    return [...(body.errorMessages ?? []), ...Object.values(body.errors ?? {})].join('; ');
  } catch {
    return text.slice(0, 200);
  }
}

/**
 * The account lacks a permission: 403, or 401 after reads with the same credentials worked (Cloud's
 * POST /statuses), or a 400 that says so (Cloud's POST /field answers a non-admin with 400).
 */
export function isRefusal(error: unknown): error is SetupHttpError {
  if (!(error instanceof SetupHttpError)) return false;
  return error.status === 403 || error.status === 401 || (error.status === 400 && /permission|administrator/i.test(error.detail));
}
