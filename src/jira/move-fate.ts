import type { Account, History } from './schema.js';
import { newestReadyEntry } from './to-ticket.js';

/** What a ticket's changelog says of a move the reconciler sent without hearing back. */
export interface MoveFate {
  /** Our own account moved the ticket to the status after the request came: the move landed. */
  landed: boolean;
  /** The request the ticket stands for now (as `Ticket.requestId`): another than ours after a re-run. */
  requestId: string;
  /** The ticket's status now. */
  status: string;
}

export interface MoveQuestion {
  /** The request the move ends: its changelog entry into Ready, or `created`. */
  requestId: string;
  readyStatus: string;
  /** The status the move was to. */
  target: string;
  /** The reconciler's own account (GET /myself). */
  self: Account;
}

/**
 * Pure: whether our move of this request landed, and what the ticket stands for now. Only a change by our
 * own account counts as the move, so a person's moves are never taken for ours.
 */
export function moveFate(histories: readonly History[], status: string, question: MoveQuestion): MoveFate {
  const { requestId, readyStatus, target, self } = question;
  const request = histories.find((history) => history.id === requestId);
  const wanted = target.toLowerCase();
  const landed = histories.some(
    (history) =>
      (requestId === 'created' || isAfter(history, request, requestId)) &&
      sameAccount(history.author, self) &&
      history.items.some((item) => item.field === 'status' && item.toText?.toLowerCase() === wanted),
  );
  return { landed, requestId: newestReadyEntry(histories, readyStatus)?.id ?? 'created', status };
}

/** Cloud tells accounts by accountId; Data Center by name, or by key (which survives a rename). */
export function sameAccount(author: Account | null | undefined, self: Account): boolean {
  if (!author) return false;
  if (self.accountId !== undefined) return author.accountId === self.accountId;
  return (self.key !== undefined && author.key === self.key) || (self.name !== undefined && author.name === self.name);
}

/** Jira's changelog ids grow with time; the request's own entry, when at hand, also orders by its time. */
function isAfter(history: History, request: History | undefined, requestId: string): boolean {
  if (history.id === requestId) return false;
  if (request) {
    const at = Date.parse(history.created);
    const requestAt = Date.parse(request.created);
    if (at !== requestAt && !Number.isNaN(at) && !Number.isNaN(requestAt)) return at > requestAt;
  }
  return Number(history.id) > Number(requestId);
}
