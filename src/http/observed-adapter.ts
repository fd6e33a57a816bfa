import axios, { type AxiosAdapter, type InternalAxiosRequestConfig } from 'axios';
import type { Clock } from '../clock.js';
import type { UpstreamObserver } from '../observability/upstream-observer.js';
import type { Upstream } from './errors.js';
import { gateRequest, type GateRequest } from './gate-request.js';
import { limitScope } from './limit-scope.js';
import { RequestNotSentError } from './not-sent.js';
import type { RateGate } from './rate-gate.js';
import { retryAfterMs } from './retry-after.js';

export interface GateDeps {
  gate: RateGate;
  clock: Clock;
  /**
   * Checked right before every request goes out, told whether it writes (not a GET or HEAD) and its
   * timeout (Infinity when it has none): a throw fails the request unsent (the leader lease's guard,
   * src/lease/write-guard.ts).
   */
  leaseGuard?(request: { write: boolean; timeoutMs: number }): void;
}

/**
 * An axios adapter that reports every exchange (status code and duration) to the observer and, with a
 * gate, lets a request go only when no 429 of its scope is unexpired and its scope's pace allows. Both
 * gateways use it: jira.js takes it through its base request config, so no private hook is needed.
 */
export function observedAdapter(upstream: Upstream, observer: UpstreamObserver, gated?: GateDeps): AxiosAdapter {
  const http = axios.getAdapter('http');
  return async (config) => {
    const request = requestOf(config);
    const release = gated ? await gated.gate.admit(request) : () => undefined;
    // After the gate's wait, which may be long: what counts is the lease when the request leaves.
    if (gated?.leaseGuard) {
      try {
        gated.leaseGuard({ write: request.write, timeoutMs: config.timeout ? config.timeout : Number.POSITIVE_INFINITY });
      } catch (error) {
        release();
        throw new RequestNotSentError(error instanceof Error ? error.message : String(error), { cause: error });
      }
    }
    const sentAt = gated ? gated.clock.now().getTime() : 0;
    const started = performance.now();
    try {
      const response = await http(config);
      observer.request(upstream, String(response.status), (performance.now() - started) / 1000);
      // A caller that takes every status (validateStatus) still gets its 429 honoured.
      if (gated && response.status === 429) throttle(gated, upstream, request, sentAt, response.headers);
      else if (gated) answered(gated, upstream, request, sentAt, response.headers);
      return response;
    } catch (error) {
      const response = (error as { response?: { status?: number; headers?: Record<string, unknown> } }).response;
      observer.request(upstream, response?.status === undefined ? 'error' : String(response.status), (performance.now() - started) / 1000);
      if (gated && response?.status === 429) throttle(gated, upstream, request, sentAt, response.headers ?? {});
      else if (gated && response) answered(gated, upstream, request, sentAt, response.headers ?? {});
      throw error;
    } finally {
      release();
    }
  };
}

/** An answer other than 429: paces its scope when it says the limit is near, else lets the pace recover. */
function answered(gated: GateDeps, upstream: Upstream, request: GateRequest, sentAt: number, headers: Record<string, unknown>): void {
  const near = header(headers, 'x-ratelimit-nearlimit');
  if (typeof near === 'string' && near.trim().toLowerCase() === 'true') {
    gated.gate.nearLimit(limitScope(upstream, header(headers, 'ratelimit-reason'), request), sentAt);
  } else {
    gated.gate.succeeded(request, sentAt);
  }
}

function throttle(gated: GateDeps, upstream: Upstream, request: GateRequest, sentAt: number, headers: Record<string, unknown>): void {
  const now = gated.clock.now();
  const wait = retryAfterMs(header(headers, 'retry-after'), now) ?? 0;
  gated.gate.hold(limitScope(upstream, header(headers, 'ratelimit-reason'), request), now.getTime() + wait, sentAt);
}

function header(headers: Record<string, unknown>, name: string): unknown {
  const get = (headers as { get?: (n: string) => unknown }).get;
  if (typeof get === 'function') return get.call(headers, name);
  const found = Object.keys(headers).find((key) => key.toLowerCase() === name);
  return found === undefined ? undefined : headers[found];
}

function requestOf(config: InternalAxiosRequestConfig): GateRequest {
  const url = config.url ?? '';
  return gateRequest(config.method ?? 'get', /^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? url : `${config.baseURL ?? ''}${url}`);
}
