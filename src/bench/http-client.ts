import { setTimeout as delay } from 'node:timers/promises';
import pLimit from 'p-limit';

/** A plain JSON client for the simulators: what the naive strategy and the seeding speak. */
export interface JsonClient {
  request<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
}

export class HttpStatusError extends Error {
  override readonly name = 'HttpStatusError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** A naive client gives up on a request after this many 429s in a row. */
const MAX_429_RETRIES = 30;

/**
 * Requests to one base URL with basic auth, at most `concurrency` at a time. A 429 is retried after its
 * Retry-After, as a simple client does: only the request that got it waits; nothing is scoped or paced.
 */
export function jsonClient(baseUrl: string, user: string, password: string, concurrency: number): JsonClient {
  const limit = pLimit(concurrency);
  const authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  return {
    request: <T>(method: string, path: string, body?: unknown) =>
      limit(async () => {
        for (let attempt = 0; ; attempt++) {
          const res = await fetch(`${baseUrl}${path}`, {
            method,
            headers: { authorization, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
            ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          });
          const text = await res.text();
          if (res.status === 429 && attempt < MAX_429_RETRIES) {
            await delay(Math.max(0, Number(res.headers.get('retry-after') ?? '1')) * 1000);
            continue;
          }
          if (!res.ok) throw new HttpStatusError(res.status, `${method} ${path} answered ${res.status}: ${text.slice(0, 200)}`);
          return (text === '' ? undefined : JSON.parse(text)) as T;
        }
      }),
  };
}
