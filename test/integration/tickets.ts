import type { CreateIssueInput, JiraSim } from '../../src/sandbox/jira/server.js';

export const FIELD = {
  source: 'customfield_source',
  runType: 'customfield_run_type',
  params: 'customfield_params',
  environment: 'customfield_environment',
  airflowRunId: 'customfield_airflow_run_id',
  runStatus: 'customfield_run_status',
  platformRunId: 'customfield_run_id',
} as const;

export const COMPLETED = 'Completed';
export const FAILED = 'Failed - Needs Investigation';

export interface Request {
  source?: string;
  runType?: string;
  environment?: string;
  params?: string | object;
  summary?: string;
}

const VALID: Required<Omit<Request, 'summary'>> = { source: 'alfabeta', runType: 'DELTA', environment: 'dev', params: { since: '2026-01-01' } };

/**
 * A ticket put in Ready to Run as a person does: created in To Do with its fields, then moved, so the
 * changelog holds the move. `direct` creates it in Ready to Run instead (no status change in its changelog).
 */
export function readyTicket(jira: JiraSim, request: Request = {}, options: { direct?: boolean; omit?: Array<keyof Request> } = {}): string {
  const merged: Request = { ...VALID, ...request };
  for (const field of options.omit ?? []) delete merged[field];
  const input: CreateIssueInput = {
    summary: merged.summary ?? 'Scrape request from the integration tests',
    ...(merged.source === undefined ? {} : { source: merged.source }),
    ...(merged.runType === undefined ? {} : { runType: merged.runType }),
    ...(merged.environment === undefined ? {} : { environment: merged.environment }),
    ...(merged.params === undefined ? {} : { params: merged.params }),
    ...(options.direct ? { status: 'Ready to Run' } : {}),
  };
  const { key } = jira.createIssue(input);
  if (!options.direct) jira.moveIssue(key, 'Ready to Run');
  return key;
}

/** What a person sees on the ticket: status, the fields the daemon writes, and the comments' text. */
export interface TicketView {
  status: string;
  runStatus: string | null;
  airflowRunId: string | null;
  platformRunId: string | null;
  comments: string[];
}

export function view(jira: JiraSim, key: string): TicketView {
  const issue = jira.issue(key);
  return {
    status: issue.status,
    runStatus: display(issue.fields[FIELD.runStatus]),
    airflowRunId: display(issue.fields[FIELD.airflowRunId]),
    platformRunId: display(issue.fields[FIELD.platformRunId]),
    comments: jira.comments(key).map((comment) => comment.text),
  };
}

/** The id of the changelog entry that moved the ticket into Ready to Run most recently. */
export function readyMoveId(jira: JiraSim, key: string): string {
  const move = jira
    .issue(key)
    .histories.filter((history) => history.items.some((item) => item.fieldId === 'status' && item.toString === 'Ready to Run'))
    .at(-1);
  if (!move) throw new Error(`${key} was never moved to Ready to Run`);
  return move.id;
}

function display(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && 'value' in value) return String(value.value);
  return JSON.stringify(value);
}

/** The hrefs of the link marks in an ADF comment body: what a person can click. */
export function linksIn(body: unknown): string[] {
  const hrefs: string[] = [];
  JSON.stringify(body, (key, value: unknown) => {
    if (key === 'attrs' && typeof value === 'object' && value !== null && 'href' in value) hrefs.push(String(value.href));
    return value;
  });
  return hrefs;
}
