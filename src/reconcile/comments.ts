import { createHash } from 'node:crypto';
import type { CommentBody, CommentParagraph } from '../jira/ticket.js';
import type { RunOutcome } from './result.js';
import type { FieldProblem, RunRequest } from './validate.js';
import { countOf, formatCount } from '../words.js';

export interface RunRef {
  dagId: string;
  dagRunId: string;
  uiUrl: string;
}

export function startedComment(run: RunRef, request: Pick<RunRequest, 'runType' | 'environment'>): CommentBody {
  return {
    marker: `started:${run.dagRunId}`,
    paragraphs: [
      [
        { text: 'Airflow run started. ', strong: true },
        { text: 'DAG ' },
        { text: run.dagId, code: true },
        { text: ', run id ' },
        { text: run.dagRunId, code: true },
        { text: ` (${request.runType} on ${request.environment}).` },
      ],
      [{ text: 'Follow it in Airflow: ' }, { text: run.uiUrl, href: run.uiUrl }],
    ],
  };
}

export function finishedComment(
  run: RunRef,
  state: 'success' | 'failed',
  outcome: RunOutcome,
  durationSeconds: number | null,
): CommentBody {
  const facts: CommentParagraph = [
    { text: state === 'success' ? 'Airflow run succeeded. ' : 'Airflow run failed. ', strong: true },
    // Named in full: a run that had ended before the daemon first saw it gets no "started" comment (CONTRACT §3.8).
    { text: 'DAG ' },
    { text: run.dagId, code: true },
    { text: ', run id ' },
    { text: run.dagRunId, code: true },
    { text: '.' },
  ];
  const details: CommentParagraph = [
    { text: `Items: ${outcome.itemCount === null ? 'unknown' : formatCount(outcome.itemCount)}. ` },
    { text: `Platform run id: ${outcome.platformRunId ?? 'unknown'}. ` },
    { text: `Duration: ${durationSeconds === null ? 'unknown' : formatDuration(durationSeconds)}.` },
  ];
  const paragraphs: CommentParagraph[] = [facts, details];
  if (outcome.error) paragraphs.push([{ text: 'Error: ', strong: true }, { text: outcome.error }]);
  if (outcome.gap) paragraphs.push([{ text: 'Note: ', strong: true }, { text: outcome.gap }]);
  paragraphs.push([{ text: 'Details in Airflow: ' }, { text: run.uiUrl, href: run.uiUrl }]);
  return { marker: `finished:${run.dagRunId}`, paragraphs };
}

/** A request over an in-flight cap: it starts when a slot frees, first come, first served. */
export function waitingComment(dagRunId: string, environment: string, source: string): CommentBody {
  return {
    marker: `waiting:${dagRunId}`,
    paragraphs: [
      [
        { text: 'Waiting for a free slot. ', strong: true },
        { text: `Runs of ${source} on ${environment} are at their in-flight limit; this request starts as run ` },
        { text: dagRunId, code: true },
        { text: ' when one ends, in the order the requests came.' },
      ],
    ],
  };
}

/** The watchdog: a run queued or running longer than allowed. */
export function stuckComment(run: RunRef, state: 'queued' | 'running', minutes: number, cause: string | null): CommentBody {
  const paragraphs: CommentParagraph[] = [
    [
      { text: `Airflow run ${state} for ${countOf(minutes, 'minute')}. `, strong: true },
      { text: 'Run id ' },
      { text: run.dagRunId, code: true },
      { text: ` is still ${state}; the reconciler keeps following it.` },
    ],
  ];
  if (cause) paragraphs.push([{ text: 'Likely cause: ', strong: true }, { text: cause }]);
  paragraphs.push([{ text: 'Look at it in Airflow: ' }, { text: run.uiUrl, href: run.uiUrl }]);
  return { marker: `stuck:${run.dagRunId}:${state}`, paragraphs };
}

/** A failed run is tried again: which attempt starts, why, and under which run id. */
export function retryComment(failed: RunRef, next: { attempt: number; of: number; dagRunId: string; dueAt: string }, reason: string): CommentBody {
  return {
    marker: `retry:${next.dagRunId}`,
    paragraphs: [
      [
        { text: `Airflow run failed; retrying (attempt ${next.attempt} of ${next.of}). `, strong: true },
        { text: 'Failed run ' },
        { text: failed.dagRunId, code: true },
        { text: ', next run ' },
        { text: next.dagRunId, code: true },
        { text: `, due ${next.dueAt}.` },
      ],
      [{ text: 'Reason: ', strong: true }, { text: reason }],
      [{ text: 'The failed run in Airflow: ' }, { text: failed.uiUrl, href: failed.uiUrl }],
    ],
  };
}

/** `ready`: the ticket's project's Ready to Run status, where a fixed ticket goes back to. */
export function rejectedComment(problems: ReadonlyArray<Pick<FieldProblem, 'field' | 'problem'>>, ready: string): CommentBody {
  const lines = problems.map((p) => `${p.field}: ${p.problem}`);
  return {
    marker: `invalid:${contentHash(lines.join('\n'))}`,
    paragraphs: [
      [{ text: 'This ticket cannot be run: its input is not valid.', strong: true }],
      ...problems.map((p): CommentParagraph => [{ text: `${p.field}: `, strong: true }, { text: p.problem }]),
      [{ text: `Fix the fields above and move the ticket back to ${ready}.` }],
    ],
  };
}

/** A request that failed before any DAG run started (missing or paused DAG). */
export function notStartedComment(dagRunId: string, why: string): CommentBody {
  return {
    marker: `not-started:${dagRunId}`,
    paragraphs: [[{ text: 'No Airflow run was started: ', strong: true }, { text: why }]],
  };
}

/** A cancelled request: confirmed stopped when `problem` is null, else what happened instead. */
export function stoppedComment(run: RunRef, problem: string | null): CommentBody {
  return {
    marker: `cancelled:${run.dagRunId}`,
    paragraphs: [
      [
        { text: problem === null ? 'Airflow run stopped ' : 'Ticket cancelled ', strong: true },
        { text: 'because the ticket was cancelled. Run id ' },
        { text: run.dagRunId, code: true },
        { text: problem === null ? ' is marked failed in Airflow, and Airflow confirmed it.' : `: ${problem}` },
      ],
      [{ text: 'In Airflow: ' }, { text: run.uiUrl, href: run.uiUrl }],
    ],
  };
}

/** Hash of the ticket's input, so the same bad content is never commented on twice. */
export function contentHash(content: string): string {
  return createHash('sha256').update(content).digest('hex').slice(0, 12);
}

export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  if (h > 0) return `${h}h ${m}m ${rest}s`;
  if (m > 0) return `${m}m ${rest}s`;
  return `${rest}s`;
}
