import type { PassSummary, PlannedAction } from '../reconcile/summary.js';
import { renderTable } from './table.js';

/** The human view of a pass: a headline, one line per ticket, and in a dry run the planned writes. */
export function formatSummary(summary: PassSummary): string {
  const counts = [
    `${summary.triggered} triggered`,
    `${summary.adopted} adopted`,
    `${summary.finished} finished`,
    `${summary.rejected} rejected`,
    `${summary.cancelled} cancelled`,
    ...(summary.held > 0 ? [`${summary.held} held`] : []),
    ...(summary.waiting > 0 ? [`${summary.waiting} waiting for a slot`] : []),
    ...(summary.setAside.length > 0 ? [`${summary.setAside.length} set aside`] : []),
    `${summary.errors} errors`,
    `${summary.inFlight} in flight`,
  ].join(', ');
  const head = `${summary.dryRun ? 'Dry run' : 'Pass'} (${summary.search} search, ${summary.durationMs} ms): ${summary.ticketsSeen} ticket requests; ${counts}\n`;
  const rows = summary.tickets
    .filter((t) => t.outcome !== 'unchanged' || summary.tickets.length <= 20)
    .map((t) => [t.issue, t.outcome, t.dagRunId ?? '-', t.detail]);
  const table = rows.length > 0 ? `\n${renderTable(['ISSUE', 'OUTCOME', 'DAG RUN', 'DETAIL'], rows)}` : '';
  const planned = summary.dryRun ? formatPlanned(summary.planned) : '';
  return `${head}${table}${formatSetAside(summary)}${planned}`;
}

/** What was left for later and why: pending, not failed; the next pass or start works it. */
function formatSetAside(summary: PassSummary): string {
  if (summary.setAside.length === 0) return '';
  const lines = summary.setAside.map((item) => `  ${item.issue}${item.requestId ? ` (request ${item.requestId})` : ''}: ${item.reason}`);
  return `\nSet aside, worked again by the next pass or start:\n${lines.join('\n')}\n`;
}

function formatPlanned(actions: readonly PlannedAction[]): string {
  const lines = actions.flatMap((action): string[] => {
    switch (action.kind) {
      case 'trigger':
        return [`${action.issue}  trigger ${action.dagId} run ${action.dagRunId} with conf ${JSON.stringify(action.conf)}`];
      case 'stop-dag-run':
        return [`${action.issue}  stop DAG run ${action.dagRunId} of ${action.dagId}`];
      case 'jira-fields':
        return [`${action.issue}  set fields ${JSON.stringify(action.fields)}`];
      case 'jira-comment':
        return [`${action.issue}  comment: ${action.text.replaceAll('\n', ' / ')}`];
      case 'notify':
        return [`${action.issue}  notify ${action.channel}: ${action.event}`];
      case 'jira-transition':
        return [
          `${action.issue}  move to "${action.to}"${action.fields ? ` setting ${JSON.stringify(action.fields)}` : ''}${action.comment ? ` with comment: ${action.comment.replaceAll('\n', ' / ')}` : ''}`,
        ];
      default:
        return [];
    }
  });
  if (lines.length === 0) return '\nNothing would be written.\n';
  return `\nPlanned writes (none performed):\n${lines.map((l) => `  ${l}`).join('\n')}\n`;
}
