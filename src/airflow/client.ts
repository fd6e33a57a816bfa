import axios from 'axios';
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { Clock } from '../clock.js';
import type { Config } from '../config/schema.js';
import { isUpstreamError } from '../http/errors.js';
import { observedAdapter } from '../http/observed-adapter.js';
import { userAgent } from '../http/user-agent.js';
import { RateGate } from '../http/rate-gate.js';
import { withRetry } from '../http/retry.js';
import { noopObserver, type UpstreamObserver } from '../observability/upstream-observer.js';
import { createAirflowAuth, type AirflowAuthMode } from './auth.js';
import { parseBody } from './parse-body.js';
import type { LeaseGuard } from '../lease/write-guard.js';

export interface AirflowRequest {
  method: 'GET' | 'POST' | 'PATCH';
  /** Below the API prefix, e.g. `/dags/scraper_lafa`. */
  path: string;
  data?: unknown;
  params?: Record<string, string | number | boolean>;
}

export interface AirflowClient {
  readonly authMode: AirflowAuthMode;
  /** One call with auth and retries; the 2xx body parsed with `schema`. Failures are UpstreamErrors. */
  send<S extends z.ZodType>(request: AirflowRequest, schema: S): Promise<z.infer<S>>;
}

export interface AirflowClientDeps {
  config: Config;
  clock: Clock;
  log: Logger;
  observer?: UpstreamObserver;
  stop?: AbortSignal;
  /** Checked before every upstream request (the leader lease's guard); a throw fails it unsent. */
  leaseGuard?: LeaseGuard;
}

export function createAirflowClient({ config, clock, log, observer, stop, leaseGuard }: AirflowClientDeps): AirflowClient {
  const root = config.airflow.baseUrl.replace(/\/+$/, '');
  const watcher = observer ?? noopObserver;
  const gate = new RateGate({
    clock,
    concurrency: config.http.concurrency,
    onThrottled: (seconds, scope) => watcher.throttled?.('airflow', seconds, scope),
    ...(stop ? { signal: stop, upstream: 'airflow' as const } : {}),
  });
  const http = axios.create({
    baseURL: `${root}/api/${config.airflow.apiVersion}`,
    timeout: config.http.timeoutMs,
    adapter: observedAdapter('airflow', watcher, { gate, clock, ...(leaseGuard ? { leaseGuard } : {}) }),
    headers: { Accept: 'application/json', 'User-Agent': userAgent() },
  });
  const auth = createAirflowAuth({ config, clock, http });
  log.debug({ apiVersion: config.airflow.apiVersion, auth: auth.mode }, 'Airflow client ready');

  async function once(request: AirflowRequest): Promise<{ status: number; data: unknown }> {
    const headers = await auth.headers();
    const response = await http.request<unknown>({
      method: request.method,
      url: request.path,
      headers,
      ...(request.data === undefined ? {} : { data: request.data }),
      ...(request.params === undefined ? {} : { params: request.params }),
    });
    return { status: response.status, data: response.data };
  }

  async function withTokenRenewal(request: AirflowRequest): Promise<{ status: number; data: unknown }> {
    try {
      return await once(request);
    } catch (error) {
      // An exchanged token may have expired: fetch a new one once, then let the 401 stand.
      if (axios.isAxiosError(error) && error.response?.status === 401 && auth.renew()) {
        log.debug({ call: `${request.method} ${request.path}` }, 'Airflow refused the token; fetching a new one');
        return await once(request);
      }
      throw error;
    }
  }

  return {
    authMode: auth.mode,
    async send(request, schema) {
      const call = `${request.method} ${request.path}`;
      try {
        const { status, data } = await withRetry('airflow', () => withTokenRenewal(request), {
          clock,
          retries: config.http.retries,
          gated: true,
          ...(stop ? { signal: stop } : {}),
          onRetry: ({ attempt, delayMs, error }) =>
            log.warn({ call, attempt, delayMs, reason: error.message }, 'Airflow call failed; retrying'),
        });
        log.debug({ call, status }, 'Airflow call done');
        return parseBody(schema, data, call);
      } catch (error) {
        const fields = isUpstreamError(error) ? { kind: error.kind, status: error.status } : {};
        log.debug({ call, ...fields }, 'Airflow call failed');
        throw error;
      }
    },
  };
}
