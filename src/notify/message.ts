import { countOf, formatCount } from '../words.js';
import type { Notification } from './notification.js';

/** What every channel says, before its own formatting. */
export interface Message {
  /** `SCR-12 failed: Scrape alfabeta prices`: one line, no line breaks (it becomes a mail header). */
  subject: string;
  /** The outcome in a few words, with the error or reason when there is one. */
  outcome: string;
  /** The run in words: `scraper_alfabeta run jira__SCR-12__1`, or null when no DAG run exists. */
  run: string | null;
}

/** Error texts can be whole stack traces; a notification points at the ticket, which has them all. */
export const MAX_DETAIL_CHARS = 300;

export function buildMessage(notification: Notification): Message {
  const { issueKey, summary } = notification;
  const subject = oneLine(`${issueKey} ${VERB[notification.event]}${summary ? `: ${summary}` : ''}`);
  return { subject, outcome: outcome(notification), run: runWords(notification) };
}

/** Plain text, for e-mail: the outcome, then one link per line. */
export function plainText(notification: Notification): string {
  const message = buildMessage(notification);
  const lines = [message.subject, '', message.outcome, '', `Ticket: ${notification.ticketUrl}`];
  const label = notification.event === 'retry' ? 'Failed run' : 'Airflow';
  if (notification.runUrl) lines.push(`${label}: ${notification.runUrl}${message.run ? ` (${message.run})` : ''}`);
  else if (message.run) lines.push(`${label}: ${message.run}`);
  lines.push('', 'Sent by jira-airflow-reconciler.');
  return `${lines.join('\n')}\n`;
}

/** Slack mrkdwn: the key links to the ticket, the run to Airflow; user text is escaped. */
export function slackText(notification: Notification): string {
  const message = buildMessage(notification);
  const summary = notification.summary ? ` ${slackEscape(oneLine(notification.summary))}` : '';
  const head = `*<${notification.ticketUrl}|${slackEscape(notification.issueKey)}>*${summary}`;
  const lines = [head, slackEscape(message.outcome)];
  const run = `${notification.event === 'retry' ? 'Failed run: ' : ''}${message.run ?? 'Airflow run'}`;
  if (notification.runUrl) lines.push(`<${notification.runUrl}|${slackEscape(run)}>`);
  else if (message.run) lines.push(slackEscape(run));
  return lines.join('\n');
}

const VERB: Record<Notification['event'], string> = {
  success: 'succeeded',
  failed: 'failed',
  invalid: 'was rejected',
  cancelled: 'was cancelled',
  retry: 'is being retried',
  stuck: 'looks stuck',
};

function outcome(n: Notification): string {
  const detail = n.detail ? clip(oneLine(n.detail)) : undefined;
  switch (n.event) {
    case 'success':
      return `Succeeded${n.itemCount === undefined ? '' : `: ${formatCount(n.itemCount)} items`}.`;
    case 'failed':
      return `Failed${detail ? `: ${detail}` : '.'}`;
    case 'invalid':
      return `Rejected without a DAG run${detail ? `: ${detail}` : '.'}`;
    case 'cancelled':
      return `Cancelled${detail ? `: ${detail}` : '.'}`;
    case 'retry': {
      const due = n.retry?.dueAt ? `, due ${n.retry.dueAt}` : '';
      const next = n.retry ? ` Attempt ${n.retry.attempt} of ${n.retry.of} starts as ${n.retry.dagRunId}${due}.` : '';
      return `Failed${detail ? `: ${detail}` : ''}; retrying.${next}`;
    }
    case 'stuck': {
      const how = n.stuck ? ` ${n.stuck.state} for ${countOf(n.stuck.minutes, 'minute')}` : '';
      return `Stuck:${how || ' no progress'}${detail ? ` (${detail})` : ''}.`;
    }
  }
}

/** The run the event is about (for a retry, the one that failed; the outcome names the next). */
function runWords(n: Notification): string | null {
  if (!n.dagRunId) return null;
  return n.dagId ? `${n.dagId} run ${n.dagRunId}` : `run ${n.dagRunId}`;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function clip(text: string): string {
  return text.length <= MAX_DETAIL_CHARS ? text : `${text.slice(0, MAX_DETAIL_CHARS - 1)}…`;
}

/** Slack's three control characters in mrkdwn (https://api.slack.com/reference/surfaces/formatting). */
function slackEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
