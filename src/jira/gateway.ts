import type { Transition } from './schema.js';
import type { CommentBody, Ticket, TicketWrite } from './ticket.js';

export interface SearchOptions {
  /** Only tickets updated at or after this instant (the cursor, less the overlap); null for a full sweep. */
  updatedSince: Date | null;
  /**
   * Statuses searched besides Ready, by role (each project names its own), so one search also finds
   * the in-flight tickets a person moved on (a change feed), or the tickets in the running status that
   * the state file does not know (a full sweep, after the file was lost).
   */
  alsoStatuses?: ReadonlyArray<'cancelled' | 'running'>;
}

/** Transitions learnt in one pass, by project and the status they leave: looked up once and reused. */
export type TransitionCache = Map<string, Promise<Transition[]>>;

export interface TransitionOptions {
  /** Fields to set with the move; sent with the transition when its screen takes them, else by an edit first. */
  fields?: TicketWrite;
  /** Comment to add with the move; sent with the transition when its screen has a Comment field, else posted. */
  comment?: CommentBody;
  /** The status the caller has just seen the ticket in; spares reading it again before the move. */
  fromStatus?: string;
  /** No comment with this marker can be on the ticket yet: no look through its comments first. */
  knownAbsent?: boolean;
  /** The pass's transitions, reused for tickets in the same project and status. */
  cache?: TransitionCache;
  /**
   * The request this move ends (its changelog entry into Ready, or `created`). With it, a move whose
   * answer was lost is checked in the ticket's changelog before it is sent again: a landed move is not
   * repeated, and a ticket moved back to Ready to Run since (a re-run) is left alone.
   */
  requestId?: string;
  /** An earlier move of this request may have landed unheard (a process died before recording it): check the changelog first. */
  unconfirmed?: boolean;
}

export interface EditOptions {
  /** Added in the same edit (`update.comment`), unless a comment with its marker is already there. */
  comment?: CommentBody;
  /** No comment with this marker can be on the ticket yet: no look through its comments first. */
  knownAbsent?: boolean;
}

export type TransitionOutcome =
  | { kind: 'moved'; transitionId: string; bundled: boolean }
  | { kind: 'already-there' }
  /** The changelog shows our own earlier move of this request: nothing was sent again. */
  | { kind: 'landed' }
  /** The ticket stands for a newer request (`requestId`), a person's re-run: nothing was written. */
  | { kind: 'superseded'; requestId: string }
  | { kind: 'no-transition'; available: string[] };

export interface AddCommentOptions {
  /**
   * The caller knows no comment with this marker can exist yet (it is about a DAG run Airflow created
   * moments ago), so the look through the ticket's comments is skipped. A retried post still looks.
   */
  knownAbsent?: boolean;
}

/** The Jira port: everything the engine asks of Jira. Errors are UpstreamError (src/http/errors.ts). */
export interface JiraGateway {
  /** Tickets in the Ready status of the configured projects, all pages. */
  searchReady(options: SearchOptions): Promise<Ticket[]>;
  /** Tickets by key, read-after-write consistent (search with reconcileIssues); unknown keys are left out. */
  getTickets(keys: readonly string[]): Promise<Ticket[]>;
  /** One ticket, read directly (GET issue); null when it does not exist or cannot be seen. */
  getTicket(key: string): Promise<Ticket | null>;
  /** Sets fields by one edit, with a comment in the same request when given. */
  updateFields(key: string, fields: TicketWrite, options?: EditOptions): Promise<void>;
  /** Posts a comment unless one with the same marker is already on the ticket. Returns whether it posted. */
  addComment(key: string, comment: CommentBody, options?: AddCommentOptions): Promise<boolean>;
  /** Moves the ticket to the status with this name, bundling fields and comment where the screen allows. */
  transitionTo(key: string, statusName: string, options?: TransitionOptions): Promise<TransitionOutcome>;
}
