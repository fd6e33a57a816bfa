import axios, { type AxiosAdapter } from 'axios';
import type { UpstreamObserver } from '../observability/upstream-observer.js';
import type { Upstream } from './errors.js';

/**
 * An axios adapter that reports every exchange (status code and duration) to the observer. Both
 * gateways use it: jira.js takes it through its base request config, so no private hook is needed.
 */
export function observedAdapter(upstream: Upstream, observer: UpstreamObserver): AxiosAdapter {
  const http = axios.getAdapter('http');
  return async (config) => {
    const started = performance.now();
    try {
      const response = await http(config);
      observer.request(upstream, String(response.status), (performance.now() - started) / 1000);
      return response;
    } catch (error) {
      const status = (error as { response?: { status?: number } }).response?.status;
      observer.request(upstream, status === undefined ? 'error' : String(status), (performance.now() - started) / 1000);
      throw error;
    }
  };
}
