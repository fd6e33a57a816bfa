import type { JiraSim } from '../jira/server.js';
import type { DemoTicket } from './seed.js';

export interface TicketView {
  key: string;
  source: string;
  story: string;
  status: string;
  runStatus: string;
  dagRunId: string;
  platformRunId: string;
  comments: number;
}

export const FINAL_STATUSES = new Set(['Completed', 'Failed - Needs Investigation', 'Cancelled']);

/** The tickets as a person would see them in Jira right now. */
export function viewTickets(jira: JiraSim, tickets: readonly DemoTicket[]): TicketView[] {
  return tickets.map((ticket) => {
    const issue = jira.issue(ticket.key);
    const fields = issue.fields;
    // A bare site's fields get their ids from setup: look them up by name.
    const value = (name: string, fallback: string): unknown => fields[jira.fieldId(name) ?? fallback];
    return {
      key: ticket.key,
      source: ticket.source,
      story: ticket.story,
      status: issue.status,
      runStatus: optionValue(value('Run Status', 'customfield_run_status')) ?? '-',
      dagRunId: textValue(value('Airflow Run ID', 'customfield_airflow_run_id')),
      platformRunId: textValue(value('Platform Run ID', 'customfield_run_id')),
      comments: jira.comments(ticket.key).length,
    };
  });
}

function textValue(value: unknown): string {
  return typeof value === 'string' ? value : '-';
}

function optionValue(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && 'value' in value) return String((value).value);
  return null;
}

/** One line per ticket whose view changed since the last call (plain output, no TTY). */
export function changedLines(previous: Map<string, string>, views: readonly TicketView[], elapsedMs: number): string[] {
  const lines: string[] = [];
  for (const view of views) {
    const state = `${view.status} | run status ${view.runStatus}`;
    if (previous.get(view.key) === state) continue;
    previous.set(view.key, state);
    lines.push(`[${(elapsedMs / 1000).toFixed(1).padStart(5)}s] ${view.key.padEnd(7)} ${view.source.padEnd(9)} ${state}`);
  }
  return lines;
}

/** A progress bar line for a TTY, redrawn in place. */
export function progressBar(views: readonly TicketView[], elapsedMs: number, width = 30): string {
  const done = views.filter((v) => FINAL_STATUSES.has(v.status)).length;
  const running = views.filter((v) => v.runStatus === 'running' || v.runStatus === 'queued').length;
  const filled = Math.round((done / Math.max(1, views.length)) * width);
  const bar = `${'#'.repeat(filled)}${'.'.repeat(width - filled)}`;
  return `[${bar}] ${done}/${views.length} finished, ${running} running  ${(elapsedMs / 1000).toFixed(1)}s`;
}
