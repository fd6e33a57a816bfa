import type { Logger } from 'pino';
import type { z } from 'zod';
import type { Clock } from '../clock.js';
import { toUpstreamError } from '../http/classify.js';
import { UpstreamError } from '../http/errors.js';
import { withRetry } from '../http/retry.js';

export type LogFields = Record<string, unknown>;

/** How every Jira request is made: retried through the clock, logged without secrets, parsed at the edge. */
export interface JiraCall {
  /** Runs `request` with retries; `attempt` counts from 1, so a retried write can check whether it already landed. */
  run<T>(op: string, details: LogFields, request: (attempt: number) => Promise<T>): Promise<T>;
  /** Runs `request` with retries and parses its body with `schema`; a mismatch is a bad_response. */
  read<S extends z.ZodType>(op: string, details: LogFields, schema: S, request: () => Promise<unknown>): Promise<z.output<S>>;
}

export function createJiraCall(deps: { clock: Clock; log: Logger; retries: number; gated?: boolean; signal?: AbortSignal }): JiraCall {
  const { clock, log, retries } = deps;

  async function run<T>(op: string, details: LogFields, request: (attempt: number) => Promise<T>): Promise<T> {
    log.debug({ op, ...details }, 'Jira request');
    let attempt = 0;
    try {
      return await withRetry('jira', () => request(++attempt), {
        clock,
        retries,
        gated: deps.gated ?? false,
        ...(deps.signal ? { signal: deps.signal } : {}),
        onRetry: ({ attempt: failed, delayMs, error }) => {
          log.warn({ op, ...details, attempt: failed, delayMs, ...errorFields(error) }, 'Jira request failed, retrying');
        },
      });
    } catch (error) {
      // Raw axios errors carry the request config and its Authorization header: log only the summary.
      log.debug({ op, ...details, ...errorFields(error) }, 'Jira request failed');
      throw error;
    }
  }

  async function read<S extends z.ZodType>(
    op: string,
    details: LogFields,
    schema: S,
    request: () => Promise<unknown>,
  ): Promise<z.output<S>> {
    const body = await run(op, details, request);
    try {
      return parseBody(op, schema, body);
    } catch (error) {
      log.debug({ op, ...details, ...errorFields(error) }, 'Jira response rejected');
      throw error;
    }
  }

  return { run, read };
}

/** Parses a Jira response body; a mismatch is an UpstreamError of kind bad_response naming what is wrong. */
export function parseBody<S extends z.ZodType>(op: string, schema: S, body: unknown): z.output<S> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`)
    .join('; ');
  throw new UpstreamError('jira', 'bad_response', `Jira answered ${op} with a body the reconciler cannot read: ${problems}`);
}

export function errorFields(error: unknown): { err: string; kind: string; status?: number } {
  const typed = toUpstreamError('jira', error);
  return { err: typed.message, kind: typed.kind, ...(typed.status === undefined ? {} : { status: typed.status }) };
}
