import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { PER_ISSUE_REASON } from './chaos.js';
import { BURST_REASON } from './rate-limits.js';
import type { Fault } from './faults.js';
import type { SimRequest, SimResponse, SimServer, SimServerOptions } from './http.js';
import type { RequestHook } from './request-hooks.js';
import type { FaultLabel, LoggedExchange } from './request-log.js';
import type { RequestInfo } from './request-match.js';
import { retryAfterExpiry } from './retry-after.js';

const HOST = '127.0.0.1';

/** Starts a loopback JSON server: routing, auth, fault injection and a request log on every route. */
export async function startSimServer(options: SimServerOptions): Promise<SimServer> {
  const closing = new AbortController();
  const server = createServer({ keepAlive: true }, (req, res) => {
    serve(options, req, res, closing.signal).catch(() => res.destroy());
  });
  server.keepAliveTimeout = 30_000;
  const port = await listen(server, options.port ?? 0);
  let listening = true;

  async function stopListening(): Promise<void> {
    if (!listening) return;
    listening = false;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }

  return {
    url: `http://${HOST}:${port}`,
    port,
    pause: stopListening,
    async resume() {
      if (listening) return;
      await listen(server, port);
      listening = true;
    },
    async close() {
      closing.abort();
      await stopListening();
    },
  };
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, HOST, () => {
      server.off('error', reject);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}

async function serve(options: SimServerOptions, req: IncomingMessage, res: ServerResponse, closing: AbortSignal): Promise<void> {
  const arrivedAt = Date.now();
  const rawBody = await readBody(req);
  const url = new URL(req.url ?? '/', `http://${HOST}`);
  const method = (req.method ?? 'GET').toUpperCase();
  const match = options.router.match(method, url.pathname);
  const simReq: SimRequest = {
    method,
    path: url.pathname,
    query: url.searchParams,
    headers: req.headers,
    body: undefined,
    rawBody,
    params: match?.params ?? {},
  };
  const info: RequestInfo = { method, path: url.pathname, route: match?.pattern ?? null, issueKey: (options.issueKeyOf ?? keyParam)(simReq) };
  const record: Recorder = (status, responseBody, fault, headers = {}) => {
    const answeredAt = Date.now();
    options.log.record({
      method,
      path: url.pathname,
      query: url.search.replace(/^\?/, ''),
      requestBody: simReq.body ?? (rawBody === '' ? undefined : rawBody),
      status,
      responseBody,
      route: info.route,
      issueKey: info.issueKey,
      at: arrivedAt,
      answeredAt,
      fault,
      ...(typeof req.headers['user-agent'] === 'string' ? { userAgent: req.headers['user-agent'] } : {}),
      ...rateLimitHold(status, headers, info, answeredAt),
    });
  };

  const decision = options.faults.decide(info);
  if (decision.latencyMs > 0) {
    const waited = await delay(decision.latencyMs, true, { signal: closing }).catch(() => false);
    if (!waited) return void res.destroy();
  }
  const { fault } = decision;
  if (fault && fault.kind !== 'lost') return applyFault(fault, decision.outage, res, options, record);

  const hook = options.faults.hooks.arrive(info);
  if (hook?.stage === 'before' && !(await holdFor(hook, info, res, () => record(0, undefined, 'hooked before')))) return;
  const response = await answer(options, simReq, match?.handler, isJson(req, rawBody));
  if (hook?.stage === 'applied' && !(await holdFor(hook, info, res, () => record(0, response.body, 'hooked applied')))) return;
  if (fault?.kind === 'lost') {
    record(0, response.body, 'lost');
    return void res.destroy();
  }
  const answered = decision.headers && Object.keys(decision.headers).length > 0 ? { ...response, headers: { ...response.headers, ...decision.headers } } : response;
  record(answered.status, answered.body, null, answered.headers);
  send(res, answered);
}

type Recorder = (status: number, body: unknown, fault: FaultLabel | null, headers?: Record<string, string>) => void;

/** Runs a test's hook while the request waits; false when the request was dropped (no answer). */
async function holdFor(hook: RequestHook, info: RequestInfo, res: ServerResponse, recordDrop: () => void): Promise<boolean> {
  try {
    await hook.run(info);
  } catch {
    // A hook that fails leaves the request unanswered rather than half-answered.
    recordDrop();
    res.destroy();
    return false;
  }
  if ((hook.then ?? 'drop') === 'answer') return true;
  recordDrop();
  res.destroy();
  return false;
}

/** Jira's issue routes name the issue ':key'. */
function keyParam(req: SimRequest): string | null {
  return req.params.key ?? null;
}

/**
 * A 429 with a readable Retry-After holds its scope until it expires, as Jira scopes it: the burst reason
 * that endpoint and method, the per-issue reason that issue's writes, anything else (or none) everything.
 */
function rateLimitHold(status: number, headers: Record<string, string>, info: RequestInfo, sentAt: number): Pick<LoggedExchange, 'retryAfterUntil' | 'limitScope'> {
  const value = headerValue(headers, 'retry-after');
  if (status !== 429 || value === undefined) return {};
  const until = retryAfterExpiry(value, sentAt);
  if (until === null) return {};
  const reason = headerValue(headers, 'ratelimit-reason');
  if (reason === PER_ISSUE_REASON && info.issueKey !== null) return { retryAfterUntil: until, limitScope: 'issue' };
  if (reason === BURST_REASON) return { retryAfterUntil: until, limitScope: 'endpoint' };
  return { retryAfterUntil: until, limitScope: 'tenant' };
}

function headerValue(headers: Record<string, string>, name: string): string | undefined {
  return Object.entries(headers).find(([key]) => key.toLowerCase() === name)?.[1];
}

async function answer(
  options: SimServerOptions,
  simReq: SimRequest,
  handler: ((req: SimRequest) => SimResponse | Promise<SimResponse>) | undefined,
  json: boolean,
): Promise<SimResponse> {
  const error = (status: number, message: string): SimResponse => ({
    status,
    body: options.errorBody ? options.errorBody(status, message) : { error: message },
  });
  const rejected = options.authenticate?.(simReq);
  if (rejected) return rejected;
  if (json) {
    try {
      simReq.body = JSON.parse(simReq.rawBody);
    } catch (cause) {
      return error(400, `The request body is not valid JSON: ${(cause as Error).message}`);
    }
  }
  if (!handler) {
    if (options.router.hasPath(simReq.path)) return error(405, `Method ${simReq.method} is not allowed on ${simReq.path}`);
    return error(404, `No route for ${simReq.method} ${simReq.path}`);
  }
  try {
    return await handler(simReq);
  } catch (cause) {
    return error(500, `Simulator handler failed: ${(cause as Error).message}`);
  }
}

function applyFault(
  fault: Exclude<Fault, { kind: 'latency' | 'lost' }>,
  outage: boolean,
  res: ServerResponse,
  options: SimServerOptions,
  record: Recorder,
): void {
  if (fault.kind === 'reset') {
    record(0, undefined, outage ? 'outage' : 'reset');
    res.destroy();
    return;
  }
  if (fault.kind === 'malformed') {
    const body = '{"truncated": [1, 2, ';
    record(200, body, 'malformed');
    res.writeHead(200, { 'content-type': 'application/json;charset=UTF-8', 'content-length': Buffer.byteLength(body) });
    res.end(body);
    return;
  }
  const body = fault.body ?? (options.errorBody ? options.errorBody(fault.status, `Injected fault: HTTP ${fault.status}`) : { error: `Injected fault: HTTP ${fault.status}` });
  const headers: Record<string, string> = { ...fault.headers, ...(fault.retryAfter === undefined ? {} : { 'retry-after': fault.retryAfter }) };
  record(fault.status, body, `status ${fault.status}`, headers);
  send(res, { status: fault.status, body, headers });
}

function send(res: ServerResponse, response: SimResponse): void {
  const headers: Record<string, string> = { ...response.headers };
  let payload = '';
  if (response.body !== undefined && response.status !== 204) {
    const isText = typeof response.body === 'string';
    payload = isText ? (response.body as string) : JSON.stringify(response.body);
    if (!hasHeader(headers, 'content-type')) {
      headers['content-type'] = isText ? 'text/plain;charset=UTF-8' : 'application/json;charset=UTF-8';
    }
  }
  headers['content-length'] = String(Buffer.byteLength(payload));
  res.writeHead(response.status, headers);
  res.end(payload);
}

function hasHeader(headers: Record<string, string>, name: string): boolean {
  return Object.keys(headers).some((key) => key.toLowerCase() === name);
}

function isJson(req: IncomingMessage, rawBody: string): boolean {
  if (rawBody.trim() === '') return false;
  const type = req.headers['content-type'];
  return type === undefined || /json/i.test(type);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
