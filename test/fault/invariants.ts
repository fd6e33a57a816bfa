import type { AirflowSim } from '../../src/sandbox/airflow/index.js';
import type { LoggedExchange } from '../../src/sandbox/common/request-log.js';
import type { JiraSim } from '../../src/sandbox/jira/server.js';
import { COMPLETED, FAILED, FIELD } from '../integration/tickets.js';

export const FINAL_STATUSES = [COMPLETED, FAILED];
const MARKER = /jira-airflow-reconciler ref (\S+)/g;

/** The markers on a ticket's comments, one per comment that carries one (see src/reconcile/comments.ts). */
export function markersOf(jira: JiraSim, key: string): string[] {
  return jira.comments(key).flatMap((comment) => [...comment.text.matchAll(MARKER)].map((match) => match[1] ?? ''));
}

/** Markers that appear on more than one comment of the ticket. */
export function duplicateMarkers(jira: JiraSim, key: string): string[] {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const marker of markersOf(jira, key)) (seen.has(marker) ? twice : seen).add(marker);
  return [...twice];
}

/** How many requests the ticket holds: each move into Ready to Run is one (CONTRACT §3.1, §3.5). */
export function requestsOf(jira: JiraSim, key: string): number {
  return jira.issue(key).histories.filter((history) => history.items.some((item) => item.fieldId === 'status' && item.toString === 'Ready to Run')).length;
}

export function runsOf(airflow: AirflowSim, key: string): ReturnType<AirflowSim['runs']> {
  return airflow.runs().filter((run) => run.conf.jira_issue_key === key);
}

export function fieldText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && 'value' in value) return String(value.value);
  return JSON.stringify(value);
}

/**
 * CONTRACT §3.6 after every Jira request: a ticket in its final status already carries its final Run
 * Status and the outcome comment of the run its Airflow Run ID names. Returns what is missing, or null.
 */
export function finalWriteGap(jira: JiraSim, key: string): string | null {
  const issue = jira.issue(key);
  if (!FINAL_STATUSES.includes(issue.status)) return null;
  const runId = fieldText(issue.fields[FIELD.airflowRunId]);
  const runStatus = fieldText(issue.fields[FIELD.runStatus]);
  const gaps: string[] = [];
  if (runId === null) gaps.push('no Airflow Run ID');
  else if (!markersOf(jira, key).includes(`finished:${runId}`)) gaps.push(`no outcome comment for ${runId}`);
  const wanted = issue.status === COMPLETED ? 'success' : 'failed';
  if (runStatus !== wanted) gaps.push(`Run Status ${runStatus ?? 'empty'}, expected ${wanted}`);
  return gaps.length === 0 ? null : `${key} in ${issue.status}: ${gaps.join(', ')}`;
}

/**
 * Liveness of the change feed: within each window (ms), the Jira Ready searches that reached the
 * simulator (first pages; not the read-after-write searches by key) and the whole intervals elapsed.
 */
export function feedPolls(log: readonly LoggedExchange[], windows: ReadonlyArray<{ from: number; to: number }>, intervalMs: number): { polls: number; intervals: number } {
  let polls = 0;
  let intervals = 0;
  for (const { from, to } of windows) {
    intervals += Math.floor((to - from) / intervalMs);
    polls += log.filter((entry) => entry.at >= from && entry.at <= to && isFeedSearch(entry)).length;
  }
  return { polls, intervals };
}

/**
 * Liveness, per window: the gaps (ms) between one change-feed request and the next, and from the last to
 * the window's end (a kill, the stop). Feed requests are every attempt that reached a simulator of the Jira
 * searches (the Ready search and its read-after-write searches by key) and of Airflow's run lists: a
 * retry is the feed polling again. The start-up before a process's first feed request is not a gap (Node
 * loading, the store opening), nor is a gap that overlaps an excluded span (a declared outage).
 */
export function feedGaps(jira: readonly LoggedExchange[], airflow: readonly LoggedExchange[], windows: ReadonlyArray<{ from: number; to: number }>, excluded: ReadonlyArray<{ from: number; to: number }>): number[] {
  const polls = [...jira.filter((entry) => entry.path.startsWith('/rest/api/3/search/jql')), ...airflow.filter((entry) => entry.path.endsWith('/dags/~/dagRuns/list'))].map((entry) => entry.at);
  const gaps: number[] = [];
  for (const { from, to } of windows) {
    const inside = polls.filter((at) => at >= from && at <= to).sort((a, b) => a - b);
    const edges = inside.length === 0 ? [] : [...inside, to];
    for (let i = 1; i < edges.length; i++) {
      const start = edges[i - 1] ?? 0;
      const end = edges[i] ?? 0;
      if (excluded.some((span) => span.from <= end && span.to >= start)) continue;
      gaps.push(end - start);
    }
  }
  return gaps;
}

function isFeedSearch(entry: LoggedExchange): boolean {
  if (!entry.path.startsWith('/rest/api/3/search/jql')) return false;
  const body = (entry.requestBody ?? {}) as { jql?: unknown; nextPageToken?: unknown };
  const jql = typeof body.jql === 'string' ? body.jql : (new URLSearchParams(entry.query).get('jql') ?? '');
  return !jql.startsWith('key in (') && body.nextPageToken === undefined && !new URLSearchParams(entry.query).has('nextPageToken');
}
