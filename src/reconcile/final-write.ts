import type { CommentBody, TicketWrite } from '../jira/ticket.js';
import type { RunRecord } from '../store/run-record.js';
import { finishedComment, notStartedComment, rejectedComment, stoppedComment, type RunRef } from './comments.js';
import type { RunOutcome } from './result.js';
import type { FieldProblem } from './validate.js';

export interface FinalWrite {
  fields: TicketWrite;
  comment: CommentBody;
  /** The status to move the ticket to, or null to leave it where it is (cancelled). */
  target: 'completed' | 'failed' | null;
}

/**
 * What Jira is told when a request ends, rebuilt from the record alone so that a crash between the
 * store update and the Jira writes repeats the very same writes (markers keep the comment single).
 * `ready`: the Ready to Run status of the ticket's project, named where the comment says how to ask again.
 * `note`: a last paragraph for the outcome comment (why the outcome is written where it is).
 */
export function finalWrite(record: RunRecord, uiUrl: (dagId: string, dagRunId: string) => string, ready: string, note?: string): FinalWrite {
  const runId = record.airflowDagRunId;
  switch (record.state) {
    case 'invalid':
      return { fields: { runStatus: 'invalid' }, comment: rejectedComment(problemsFromText(record.error), ready), target: 'failed' };
    case 'cancelled':
      return {
        fields: { runStatus: 'cancelled' },
        comment: stoppedComment(ref(record, uiUrl), record.error),
        target: null,
      };
    case 'success':
    case 'failed': {
      if (record.startedAt === null && runId !== null && record.state === 'failed') {
        return {
          fields: { runStatus: 'failed' },
          comment: notStartedComment(runId, record.error ?? 'the DAG could not be triggered.'),
          target: 'failed',
        };
      }
      const fields: TicketWrite = { runStatus: record.state };
      if (runId) fields.airflowRunId = runId;
      if (record.platformRunId) fields.platformRunId = record.platformRunId;
      return {
        fields,
        comment: withNote(finishedComment(ref(record, uiUrl), record.state, outcomeOf(record), durationOf(record)), note),
        target: record.state === 'success' ? 'completed' : 'failed',
      };
    }
    default:
      throw new Error(`finalWrite called for a request in state ${record.state}`);
  }
}

function withNote(comment: CommentBody, note: string | undefined): CommentBody {
  return note ? { ...comment, paragraphs: [...comment.paragraphs, [{ text: note }]] } : comment;
}

function ref(record: RunRecord, uiUrl: (dagId: string, dagRunId: string) => string): RunRef {
  const dagId = record.airflowDagId ?? 'unknown';
  const dagRunId = record.airflowDagRunId ?? 'unknown';
  return { dagId, dagRunId, uiUrl: uiUrl(dagId, dagRunId) };
}

/** A success keeps its `error` only for a gap in the result; a failure's is the pipeline's error. */
function outcomeOf(record: RunRecord): RunOutcome {
  const success = record.state === 'success';
  return {
    platformRunId: record.platformRunId,
    itemCount: record.itemCount,
    error: success ? null : record.error,
    gap: success ? record.error : null,
  };
}

function durationOf(record: RunRecord): number | null {
  if (!record.startedAt || !record.finishedAt) return null;
  const ms = Date.parse(record.finishedAt) - Date.parse(record.startedAt);
  return Number.isFinite(ms) && ms >= 0 ? ms / 1000 : null;
}

/** The record keeps a rejected ticket's problems as `Field: problem` lines. */
export function problemsToText(problems: ReadonlyArray<Pick<FieldProblem, 'field' | 'problem'>>): string {
  return problems.map((p) => `${p.field}: ${p.problem}`).join('\n');
}

function problemsFromText(text: string | null): Array<Pick<FieldProblem, 'field' | 'problem'>> {
  return (text ?? '')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const at = line.indexOf(': ');
      const field = (at > 0 ? line.slice(0, at) : 'Ticket') as FieldProblem['field'];
      return { field, problem: at > 0 ? line.slice(at + 2) : line };
    });
}
