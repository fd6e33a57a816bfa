import axios, { type AxiosError } from 'axios';
import { kindForStatus, UpstreamError, type Upstream } from './errors.js';
import { retryAfterMs } from './retry-after.js';

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ERR_SOCKET_CONNECTION_TIMEOUT',
  'ERR_CANCELED',
]);

/**
 * The one error ladder: any failure of an HTTP call (axios error, jira.js HttpException wrapping one,
 * or a plain network error) becomes a typed UpstreamError. The original error is kept as `cause`.
 */
export function toUpstreamError(upstream: Upstream, error: unknown, now: Date = new Date()): UpstreamError {
  if (error instanceof UpstreamError) return error;
  const axiosError = findAxiosError(error);
  const status = axiosError?.response?.status ?? statusOf(error);
  if (status !== undefined) {
    const kind = kindForStatus(status);
    const retryAfter = retryAfterMs(axiosError?.response?.headers?.['retry-after'], now);
    const detail = describeBody(axiosError?.response?.data ?? responseDataOf(error));
    const base = `${upstream} answered HTTP ${status}`;
    return new UpstreamError(upstream, kind, detail ? `${base}: ${detail}` : base, {
      status,
      cause: error,
      ...(retryAfter === undefined ? {} : { retryAfterMs: retryAfter }),
    });
  }
  const code = axiosError?.code ?? codeOf(error);
  const message = error instanceof Error ? error.message : String(error);
  if (code && NETWORK_CODES.has(code)) {
    return new UpstreamError(upstream, 'transient', `${upstream} unreachable (${code}): ${message}`, { cause: error });
  }
  return new UpstreamError(upstream, 'transient', `${upstream} request failed: ${message}`, { cause: error });
}

function findAxiosError(error: unknown): AxiosError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current; depth++) {
    if (axios.isAxiosError(current)) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' && status >= 100 && status < 600 ? status : undefined;
}

function codeOf(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function responseDataOf(error: unknown): unknown {
  const response = (error as { response?: unknown } | null)?.response;
  return typeof response === 'object' && response !== null ? (response as { data?: unknown }).data : undefined;
}

/** Jira's `errorMessages`/`errors`, Airflow's problem `detail`/`title`, or a short text body. */
export function describeBody(data: unknown): string | undefined {
  if (typeof data === 'string') return data.trim().slice(0, 300) || undefined;
  if (typeof data !== 'object' || data === null) return undefined;
  const body = data as Record<string, unknown>;
  const parts: string[] = [];
  if (Array.isArray(body.errorMessages)) parts.push(...body.errorMessages.map(String));
  if (body.errors && typeof body.errors === 'object') {
    for (const [field, text] of Object.entries(body.errors)) parts.push(`${field}: ${String(text)}`);
  }
  for (const key of ['detail', 'title', 'message'] as const) {
    const value = body[key];
    if (parts.length === 0 && typeof value === 'string') parts.push(value);
    if (parts.length === 0 && Array.isArray(value)) parts.push(JSON.stringify(value).slice(0, 300));
  }
  return parts.length > 0 ? parts.join('; ').slice(0, 500) : undefined;
}
