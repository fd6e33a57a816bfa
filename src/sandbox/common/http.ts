import type { IncomingHttpHeaders } from 'node:http';
import type { FaultInjector } from './faults.js';
import type { RequestLog } from './request-log.js';
import type { Router } from './router.js';

export { Router } from './router.js';
export type { RouteMatch } from './router.js';
export { startSimServer } from './server.js';

export interface SimRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** Parsed JSON, or undefined when there was no JSON body. */
  body: unknown;
  rawBody: string;
  /** Route params, URI-decoded. */
  params: Record<string, string>;
}

export interface SimResponse {
  status: number;
  /** JSON-encoded unless a string. */
  body?: unknown;
  headers?: Record<string, string>;
}

export type Handler = (req: SimRequest) => SimResponse | Promise<SimResponse>;

export interface SimServer {
  /** http://127.0.0.1:PORT */
  url: string;
  port: number;
  close(): Promise<void>;
  /** Stops listening and drops open connections: new connections are refused. */
  pause(): Promise<void>;
  /** Listens again on the same port. */
  resume(): Promise<void>;
}

export interface SimServerOptions {
  router: Router;
  faults: FaultInjector;
  log: RequestLog;
  port?: number;
  /** Non-null rejects the request with that response. Runs after routing (params are set) and before the body is parsed. */
  authenticate?: (req: SimRequest) => SimResponse | null;
  /** The simulated service's error body for the plumbing's own errors (404, 400 bad JSON, 500). */
  errorBody?: (status: number, message: string) => unknown;
  /** The ticket a request is about, for the request log and per-issue rate limits; default the ':key' route param. */
  issueKeyOf?: (req: SimRequest) => string | null;
}
