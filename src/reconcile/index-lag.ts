import type { Ticket } from '../jira/ticket.js';
import { FINAL_STATES, type RunRecord } from '../store/run-record.js';

/** The least overlap the Jira change feed keeps, however quick the index has looked: lag not yet seen. */
export const OVERLAP_FLOOR_MS = 30_000;
/** The overlap is this many times the longest lag seen, so a lag a little past the worst seen is still covered. */
const LAG_MARGIN = 2;

/** What one read-after-write confirmation showed about a ticket the search also returned. */
export type LagSample =
  /** The search showed the ticket as it is: this change was indexed in time. */
  | { kind: 'caught-up' }
  /** The search showed an older version than the truth; the index lagged by at least `atLeastMs`. */
  | { kind: 'stale'; atLeastMs: number };

/**
 * How far Jira's search index lags behind writes, learnt from the daemon's own confirmations, and from
 * it the change feed's overlap: twice the longest lag seen within the last ceiling's worth of time, at
 * least the floor, at most the configured overlap. Until a confirmation is seen, the configured value.
 */
export class IndexLag {
  private readonly stale: Array<{ at: number; lagMs: number }> = [];
  private confirmedAt: number | null = null;

  constructor(private readonly ceilingMs: number) {}

  observe(sample: LagSample, atMs: number): void {
    this.confirmedAt = Math.max(this.confirmedAt ?? atMs, atMs);
    if (sample.kind === 'stale') this.stale.push({ at: atMs, lagMs: Math.max(0, sample.atLeastMs) });
  }

  /** The overlap the next incremental search should use. */
  overlapMs(nowMs: number): number {
    if (this.confirmedAt === null) return this.ceilingMs;
    // A lag seen within the ceiling's window still counts: a slow index is often slow again.
    while (this.stale.length > 0 && (this.stale[0]?.at ?? nowMs) < nowMs - this.ceilingMs) this.stale.shift();
    const worst = this.stale.reduce((most, sample) => Math.max(most, sample.lagMs), 0);
    return Math.min(this.ceilingMs, Math.max(OVERLAP_FLOOR_MS, worst * LAG_MARGIN));
  }
}

/**
 * What a pass's search showed of writes the daemon knows were made: the tickets it read again right after
 * (a newer version read than searched = a change the index had not taken yet), and its own write-backs
 * (a ticket searched without the run id the daemon wrote to it and recorded = the index behind its write).
 */
export function lagSamples(
  searchedAtMs: number,
  searched: ReadonlyMap<string, Ticket>,
  reread: readonly Ticket[],
  written: readonly RunRecord[],
): LagSample[] {
  const samples: LagSample[] = [];
  const rereadKeys = new Set<string>();
  for (const truth of reread) {
    rereadKeys.add(truth.key);
    const shown = searched.get(truth.key);
    const changedAt = Date.parse(truth.updated);
    // A change made after the search was sent says nothing of the index.
    if (!shown || Number.isNaN(changedAt) || changedAt > searchedAtMs) continue;
    samples.push(Date.parse(shown.updated) < changedAt ? { kind: 'stale', atLeastMs: searchedAtMs - changedAt } : { kind: 'caught-up' });
  }
  for (const record of written) {
    const shown = searched.get(record.jiraIssueKey);
    if (!shown || rereadKeys.has(record.jiraIssueKey) || shown.requestId !== record.requestId) continue;
    if (record.jiraPhase === 'none' || record.airflowDagRunId === null || FINAL_STATES.has(record.state)) continue;
    // The record changed after the write it follows: the time since is the least the index can have lagged.
    const recordedAt = Date.parse(record.updatedAt);
    if (Number.isNaN(recordedAt) || recordedAt > searchedAtMs) continue;
    samples.push(shown.airflowRunId === record.airflowDagRunId ? { kind: 'caught-up' } : { kind: 'stale', atLeastMs: searchedAtMs - recordedAt });
  }
  return samples;
}
