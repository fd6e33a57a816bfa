import { startAirflowSim } from '../../../src/sandbox/airflow/index.js';
import type { AirflowSim, AirflowSimOptions, ApiVersion } from '../../../src/sandbox/airflow/index.js';

export const T0 = Date.parse('2025-01-05T10:00:00Z');
export const TOKEN = 'static-test-token';

/** A clock the test drives; the sim reads it lazily on every request. */
export interface ManualClock {
  now: () => number;
  advance(ms: number): void;
}

export function manualClock(start = T0): ManualClock {
  let current = start;
  return { now: () => current, advance: (ms) => void (current += ms) };
}

export interface Reply {
  status: number;
  /** Parsed JSON (typed as JSON.parse types it), or the text when the body is not JSON. */
  body: ReturnType<typeof JSON.parse>;
  headers: Headers;
}

export interface SimHarness {
  sim: AirflowSim;
  clock: ManualClock;
  /** `/api/v1` or `/api/v2`. */
  api: string;
  /** An authenticated call; `path` below the API prefix unless it starts with '/auth'. */
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Reply>;
  trigger(dagId: string, dagRunId: string, extra?: Record<string, unknown>): Promise<Reply>;
}

export async function startHarness(apiVersion: ApiVersion, options: AirflowSimOptions = {}): Promise<SimHarness> {
  const clock = manualClock();
  const sim = await startAirflowSim({ apiVersion, now: clock.now, tokens: [TOKEN], ...options });
  const api = `/api/${apiVersion}`;
  async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
    return request(sim.url + (path.startsWith('/auth') ? path : api + path), method, body, { authorization: `Bearer ${TOKEN}`, ...headers });
  }
  return {
    sim,
    clock,
    api,
    call,
    trigger: (dagId, dagRunId, extra = {}) =>
      call('POST', `/dags/${dagId}/dagRuns`, { dag_run_id: dagRunId, conf: { jira_issue_key: 'SCR-1' }, ...(apiVersion === 'v2' ? { logical_date: null } : {}), ...extra }),
  };
}

export async function request(url: string, method: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  const init: RequestInit = { method, headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers } };
  if (body !== undefined) init.body = JSON.stringify(body);
  const res = await fetch(url, init);
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

export function basic(username: string, password: string): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` };
}

export const VERSIONS: ApiVersion[] = ['v1', 'v2'];
