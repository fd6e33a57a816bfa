/** A Jira ticket as the reconciler sees it: the fields it reads and writes, already normalised. */
export interface Ticket {
  key: string;
  id: string;
  /** Current status name. */
  status: string;
  /** ISO timestamp of the last update. */
  updated: string;
  /** Select values as their option value, text as text, the Parameters ADF document as its plain text. */
  source: string | null;
  runType: string | null;
  environment: string | null;
  paramsText: string | null;
  airflowRunId: string | null;
  runStatus: string | null;
  platformRunId: string | null;
  /** The ticket's labels (the hold label, an approval label). */
  labels: string[];
  /**
   * The request this ticket stands for: the id of the newest changelog entry that moved it into the
   * Ready status, or `created` when it was created directly in Ready (no such entry).
   */
  requestId: string;
  /** When that happened (ISO). */
  requestedAt: string;
  /** The Summary field, for the notifications; absent on a ticket not read from Jira (as last seen). */
  summary?: string | null;
}

/** A comment as a list of paragraphs; the Jira gateway turns it into ADF. */
export interface CommentBody {
  paragraphs: CommentParagraph[];
  /** A stable marker the gateway embeds, so a comment is never posted twice (also across a crash). */
  marker: string;
}
export type CommentParagraph = CommentInline[];
export type CommentInline =
  | { text: string; strong?: boolean; code?: boolean }
  | { text: string; href: string };

/** Values the reconciler writes to the ticket. Absent keys are left alone. */
export interface TicketWrite {
  airflowRunId?: string;
  runStatus?: string;
  platformRunId?: string;
}
