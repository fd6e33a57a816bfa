import type { JiraSim } from '../../../src/sandbox/jira/server.js';

/** A parsed JSON body, loosely typed on purpose: tests reach into it. */
export type Json = ReturnType<typeof JSON.parse>;

export interface Reply {
  status: number;
  body: Json;
  headers: Headers;
}

export interface JiraClient {
  get(path: string, query?: Record<string, string | string[]>): Promise<Reply>;
  post(path: string, body: unknown): Promise<Reply>;
  put(path: string, body: unknown): Promise<Reply>;
  del(path: string): Promise<Reply>;
  send(method: string, path: string, init?: { body?: string; headers?: Record<string, string> }): Promise<Reply>;
}

export function basicAuth(email = 'bot@example.com', token = 'sim-token'): string {
  return `Basic ${Buffer.from(`${email}:${token}`).toString('base64')}`;
}

/** A thin fetch wrapper over real HTTP on 127.0.0.1, authenticated as the default bot. */
export function jiraClient(sim: Pick<JiraSim, 'url'>, auth = basicAuth()): JiraClient {
  async function send(method: string, path: string, init: { body?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
    const res = await fetch(`${sim.url}${path}`, {
      method,
      headers: { authorization: auth, accept: 'application/json', ...(init.body === undefined ? {} : { 'content-type': 'application/json' }), ...init.headers },
      ...(init.body === undefined ? {} : { body: init.body }),
    });
    const text = await res.text();
    return { status: res.status, body: parseJson(text), headers: res.headers };
  }
  return {
    get: (path, query = {}) => {
      const params = new URLSearchParams();
      for (const [key, value] of Object.entries(query)) for (const item of [value].flat()) params.append(key, item);
      const search = params.toString();
      return send('GET', search === '' ? path : `${path}?${search}`);
    },
    post: (path, body) => send('POST', path, { body: JSON.stringify(body) }),
    put: (path, body) => send('PUT', path, { body: JSON.stringify(body) }),
    del: (path) => send('DELETE', path),
    send,
  };
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function adf(text: string): { type: 'doc'; version: 1; content: unknown[] } {
  return { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] };
}
