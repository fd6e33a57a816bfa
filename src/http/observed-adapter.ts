import axios, { type AxiosAdapter, type InternalAxiosRequestConfig } from 'axios';
import type { Clock } from '../clock.js';
import type { UpstreamObserver } from '../observability/upstream-observer.js';
import type { Upstream } from './errors.js';
import type { GateRequest, HoldScope, RateGate } from './rate-gate.js';
import { retryAfterMs } from './retry-after.js';

/** Jira's answer to too many writes to one issue; every other reason (or none) limits the whole tenant. */
const PER_ISSUE_REASON = 'jira-per-issue-on-write';

export interface GateDeps {
  gate: RateGate;
  clock: Clock;
}

/**
 * An axios adapter that reports every exchange (status code and duration) to the observer and, with a
 * gate, lets a request go only when no 429 of its scope is unexpired. Both gateways use it: jira.js takes
 * it through its base request config, so no private hook is needed.
 */
export function observedAdapter(upstream: Upstream, observer: UpstreamObserver, gated?: GateDeps): AxiosAdapter {
  const http = axios.getAdapter('http');
  return async (config) => {
    const request = gateRequest(config);
    const release = gated ? await gated.gate.admit(request) : () => undefined;
    const started = performance.now();
    try {
      const response = await http(config);
      observer.request(upstream, String(response.status), (performance.now() - started) / 1000);
      gated?.gate.succeeded();
      return response;
    } catch (error) {
      const response = (error as { response?: { status?: number; headers?: Record<string, unknown> } }).response;
      observer.request(upstream, response?.status === undefined ? 'error' : String(response.status), (performance.now() - started) / 1000);
      if (gated && response?.status === 429) throttle(gated, request, response.headers ?? {});
      throw error;
    } finally {
      release();
    }
  };
}

function throttle(gated: GateDeps, request: GateRequest, headers: Record<string, unknown>): void {
  const now = gated.clock.now();
  const wait = retryAfterMs(header(headers, 'retry-after'), now) ?? 0;
  const raw = header(headers, 'ratelimit-reason');
  const reason = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
  const scope: HoldScope = reason === PER_ISSUE_REASON && request.issue ? { kind: 'issue', issue: request.issue } : { kind: 'tenant' };
  gated.gate.hold(scope, now.getTime() + wait);
}

function header(headers: Record<string, unknown>, name: string): unknown {
  const get = (headers as { get?: (n: string) => unknown }).get;
  if (typeof get === 'function') return get.call(headers, name);
  const found = Object.keys(headers).find((key) => key.toLowerCase() === name);
  return found === undefined ? undefined : headers[found];
}

function gateRequest(config: InternalAxiosRequestConfig): GateRequest {
  const method = (config.method ?? 'get').toUpperCase();
  const url = `${config.baseURL ?? ''}${config.url ?? ''}`;
  const issue = /\/issue\/([A-Za-z][A-Za-z0-9_]*-\d+)(?:[/?]|$)/.exec(url)?.[1];
  return { issue, write: method !== 'GET' && method !== 'HEAD' };
}
