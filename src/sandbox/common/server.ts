import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import type { Fault } from './faults.js';
import type { SimRequest, SimResponse, SimServer, SimServerOptions } from './http.js';

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
  const record = (status: number, responseBody: unknown): void =>
    options.log.record({
      method,
      path: url.pathname,
      query: url.search.replace(/^\?/, ''),
      requestBody: simReq.body ?? (rawBody === '' ? undefined : rawBody),
      status,
      responseBody,
      route: match?.pattern ?? null,
      at: Date.now(),
    });

  const fault = options.faults.take(method, url.pathname);
  if (fault?.kind === 'latency') {
    const waited = await delay(fault.ms, true, { signal: closing }).catch(() => false);
    if (!waited) return void res.destroy();
  } else if (fault) {
    return applyFault(fault, res, options, record);
  }

  const response = await answer(options, simReq, match?.handler, isJson(req, rawBody));
  record(response.status, response.body);
  send(res, response);
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
  fault: Exclude<Fault, { kind: 'latency' }>,
  res: ServerResponse,
  options: SimServerOptions,
  record: (status: number, body: unknown) => void,
): void {
  if (fault.kind === 'reset') {
    record(0, undefined);
    res.destroy();
    return;
  }
  if (fault.kind === 'malformed') {
    const body = '{"truncated": [1, 2, ';
    record(200, body);
    res.writeHead(200, { 'content-type': 'application/json;charset=UTF-8', 'content-length': Buffer.byteLength(body) });
    res.end(body);
    return;
  }
  const body = fault.body ?? (options.errorBody ? options.errorBody(fault.status, `Injected fault: HTTP ${fault.status}`) : { error: `Injected fault: HTTP ${fault.status}` });
  const headers: Record<string, string> = fault.retryAfter === undefined ? {} : { 'retry-after': fault.retryAfter };
  record(fault.status, body);
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
