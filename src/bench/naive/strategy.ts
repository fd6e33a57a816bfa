import pLimit from 'p-limit';
import type { JsonClient } from '../http-client.js';
import { adfDoc, NAIVE_FIELDS, toNaiveTicket, type NaiveTicket } from './tickets.js';

const READY = 'Ready to Run';
const PAGE_SIZE = 50;

/** What the naive strategy remembers between passes: the runs it started and the tickets it finished. */
export interface NaiveState {
  inFlight: Map<string, { dagId: string; dagRunId: string; state: string }>;
  finished: Set<string>;
}

export interface NaiveClients {
  jira: JsonClient;
  airflow: JsonClient;
}

export interface NaivePassResult {
  /** Requests the pass meant to send; more than were sent when the deadline cut it short. */
  plannedRequests: number;
  sentRequests: number;
  wallMs: number;
  /** The deadline stopped the pass: wall time is extrapolated from the part that ran. */
  estimated: boolean;
  triggered: number;
  finished: number;
}

export function naiveState(): NaiveState {
  return { inFlight: new Map(), finished: new Set() };
}

/**
 * The strategy the bench compares against: every pass searches every Ready ticket, reads every
 * in-flight ticket and run one by one, and writes fields, comment and move separately.
 */
export async function naivePass(
  clients: NaiveClients,
  state: NaiveState,
  options: { project: string; concurrency: number; deadlineMs?: number },
): Promise<NaivePassResult> {
  const started = Date.now();
  let sent = 0;
  const count = <T>(request: Promise<T>): Promise<T> => {
    sent++;
    return request;
  };
  const jira = { request: <T>(m: string, p: string, b?: unknown) => count(clients.jira.request<T>(m, p, b)) };
  const airflow = { request: <T>(m: string, p: string, b?: unknown) => count(clients.airflow.request<T>(m, p, b)) };

  const ready = await searchAll(jira, `project = ${options.project} AND status = "${READY}"`);
  const polled = [...state.inFlight.keys()];
  const fresh = ready.filter((t) => !state.inFlight.has(t.key) && !state.finished.has(t.key));
  const plannedReads = sent + polled.length * 2 + fresh.length;
  const limit = pLimit(options.concurrency);
  let stopped = false;
  let done = 0;
  let triggered = 0;
  let finished = 0;
  const due = (): boolean => {
    if (options.deadlineMs !== undefined && Date.now() - started > options.deadlineMs) stopped = true;
    return !stopped;
  };
  await Promise.all([
    ...polled.map((key) =>
      limit(async () => {
        if (!due()) return;
        if (await follow(key, state, jira, airflow)) finished++;
        done++;
      }),
    ),
    ...fresh.map((ticket) =>
      limit(async () => {
        if (!due()) return;
        await trigger(ticket, state, jira, airflow);
        triggered++;
        done++;
      }),
    ),
  ]);
  const wallMs = Date.now() - started;
  const share = polled.length + fresh.length === 0 ? 1 : done / (polled.length + fresh.length);
  return {
    plannedRequests: stopped ? plannedReads : sent,
    sentRequests: sent,
    wallMs: stopped && share > 0 ? Math.round(wallMs / share) : wallMs,
    estimated: stopped,
    triggered,
    finished,
  };
}

async function searchAll(jira: JsonClient, jql: string): Promise<NaiveTicket[]> {
  const tickets: NaiveTicket[] = [];
  let token: string | undefined;
  do {
    const query = new URLSearchParams({ jql, maxResults: String(PAGE_SIZE), fields: NAIVE_FIELDS, ...(token ? { nextPageToken: token } : {}) });
    const page = await jira.request<{ issues: Parameters<typeof toNaiveTicket>[0][]; nextPageToken?: string; isLast?: boolean }>(
      'GET',
      `/rest/api/3/search/jql?${query.toString()}`,
    );
    tickets.push(...page.issues.map(toNaiveTicket));
    token = page.isLast === false ? page.nextPageToken : undefined;
  } while (token);
  return tickets;
}

async function trigger(ticket: NaiveTicket, state: NaiveState, jira: JsonClient, airflow: JsonClient): Promise<void> {
  const dagId = `scraper_${ticket.source}`;
  const dagRunId = `naive__${ticket.key}__1`;
  const conf = { jira_issue_key: ticket.key, source: ticket.source, run_type: 'DELTA', params: ticket.params, environment: 'prod' };
  await airflow.request('POST', `/api/v1/dags/${dagId}/dagRuns`, { dag_run_id: dagRunId, conf });
  state.inFlight.set(ticket.key, { dagId, dagRunId, state: 'queued' });
  await jira.request('PUT', `/rest/api/3/issue/${ticket.key}`, {
    fields: { customfield_airflow_run_id: dagRunId, customfield_run_status: { value: 'queued' } },
  });
  await jira.request('POST', `/rest/api/3/issue/${ticket.key}/comment`, { body: adfDoc(`Started ${dagId} run ${dagRunId}.`) });
}

/** One GET of the ticket and one of its run; writes when the run moved on. True when it finished. */
async function follow(key: string, state: NaiveState, jira: JsonClient, airflow: JsonClient): Promise<boolean> {
  const run = state.inFlight.get(key);
  if (!run) return false;
  await jira.request('GET', `/rest/api/3/issue/${key}?fields=${NAIVE_FIELDS}`);
  const runPath = `/api/v1/dags/${run.dagId}/dagRuns/${run.dagRunId}`;
  const dagRun = await airflow.request<{ state: string }>('GET', runPath);
  if (dagRun.state === run.state) return false;
  if (dagRun.state === 'queued' || dagRun.state === 'running') {
    await jira.request('PUT', `/rest/api/3/issue/${key}`, { fields: { customfield_run_status: { value: dagRun.state } } });
    run.state = dagRun.state;
    return false;
  }
  const xcom = await airflow.request<{ value: unknown }>('GET', `${runPath}/taskInstances/run_pipeline/xcomEntries/return_value?stringify=false`);
  const result = (xcom.value ?? {}) as { run_id?: string; item_count?: number; error?: string | null };
  await jira.request('PUT', `/rest/api/3/issue/${key}`, {
    fields: { customfield_run_status: { value: dagRun.state }, customfield_run_id: result.run_id ?? null },
  });
  await jira.request('POST', `/rest/api/3/issue/${key}/comment`, {
    body: adfDoc(`Run ${run.dagRunId} ended ${dagRun.state}: ${result.item_count ?? 0} items${result.error ? `, ${result.error}` : ''}.`),
  });
  const target = dagRun.state === 'success' ? 'Completed' : 'Failed - Needs Investigation';
  const { transitions } = await jira.request<{ transitions: Array<{ id: string; to: { name: string } }> }>('GET', `/rest/api/3/issue/${key}/transitions`);
  const transition = transitions.find((t) => t.to.name === target);
  if (!transition) throw new Error(`No transition from ${key}'s status to ${target}`);
  await jira.request('POST', `/rest/api/3/issue/${key}/transitions`, { transition: { id: transition.id } });
  state.inFlight.delete(key);
  state.finished.add(key);
  return true;
}
