/**
 * The life of one ticket request:
 * pending (intent recorded, trigger not yet confirmed) → queued → running → success | failed | cancelled,
 * or invalid (bad input, no DAG run). `jiraPhase` says how much of it Jira has been told.
 */
export type RecordState = 'pending' | 'waiting' | 'queued' | 'running' | 'success' | 'failed' | 'cancelled' | 'invalid';
export const RECORD_STATES: readonly RecordState[] = [
  'pending',
  'waiting',
  'queued',
  'running',
  'success',
  'failed',
  'cancelled',
  'invalid',
];
export const FINAL_STATES: ReadonlySet<RecordState> = new Set(['success', 'failed', 'cancelled', 'invalid']);

/** none: nothing written yet; started: trigger write-back done; finished: final write-back and move done. */
export type JiraPhase = 'none' | 'started' | 'finished';

export interface RunRecord {
  id: number;
  jiraIssueKey: string;
  /** Changelog entry id of the move into Ready to Run, or `created`. */
  requestId: string;
  /** 1 for the first request of this ticket, 2 for the first re-run, ... */
  attempt: number;
  source: string | null;
  runType: string | null;
  environment: string | null;
  /** The parsed Parameters as JSON text, or null when invalid. */
  params: string | null;
  airflowDagId: string | null;
  airflowDagRunId: string | null;
  state: RecordState;
  jiraPhase: JiraPhase;
  platformRunId: string | null;
  itemCount: number | null;
  /** Error text: the DAG's error, the validation problems, or why the ticket failed. */
  error: string | null;
  /** The last problem the reconciler met working on this record (kept until it works again). */
  lastProblem: string | null;
  /** A pending automatic retry starts at this instant (ISO); null otherwise. */
  dueAt: string | null;
  /** When the watchdog said on the ticket that the run is stuck (once per state); null otherwise. */
  stuckAt: string | null;
  /**
   * When the ticket moved into Ready to Run for this request (ISO): the order of the in-flight caps'
   * queue. Null on records from before it was kept; their createdAt stands in.
   */
  requestedAt: string | null;
  /** The ticket's Summary when the request was recorded, told in its notifications; null on older records. */
  summary: string | null;
  createdAt: string;
  updatedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export type NewRunRecord = Pick<
  RunRecord,
  'jiraIssueKey' | 'requestId' | 'source' | 'runType' | 'environment' | 'params' | 'airflowDagId' | 'airflowDagRunId' | 'state'
> &
  Partial<Pick<RunRecord, 'error' | 'attempt' | 'requestedAt' | 'summary'>>;

export type RunRecordPatch = Partial<
  Pick<
    RunRecord,
    | 'state'
    | 'jiraPhase'
    | 'platformRunId'
    | 'itemCount'
    | 'error'
    | 'lastProblem'
    | 'dueAt'
    | 'stuckAt'
    | 'startedAt'
    | 'finishedAt'
    | 'airflowDagId'
    | 'airflowDagRunId'
  >
>;

export interface RunFilter {
  issueKeys?: readonly string[];
  states?: readonly RecordState[];
  limit?: number;
}
