import type { LoggedExchange } from '../sandbox/common/request-log.js';
import { tally, type Tally } from './counting.js';

/** Where each upstream's request log stood when the bench read a daemon pass's completion. */
export interface PassMark {
  jira: number;
  airflow: number;
}

/** One daemon pass as the simulators saw it: its requests and when its first one arrived (ms, null for none). */
export interface PassSlice {
  startedAt: number | null;
  jira: Tally;
  airflow: Tally;
  total: number;
}

/**
 * The requests of each pass: those logged between the completion of the pass before (or `from`) and
 * its own. Between passes the daemon sends nothing, so a request belongs to the pass it falls in.
 */
export function passSlices(jira: readonly LoggedExchange[], airflow: readonly LoggedExchange[], from: PassMark, marks: readonly PassMark[]): PassSlice[] {
  const slices: PassSlice[] = [];
  let previous = from;
  for (const mark of marks) {
    const j = jira.slice(previous.jira, mark.jira);
    const a = airflow.slice(previous.airflow, mark.airflow);
    const firsts = [j[0]?.at, a[0]?.at].filter((at): at is number => at !== undefined);
    slices.push({ startedAt: firsts.length > 0 ? Math.min(...firsts) : null, jira: tally(j), airflow: tally(a), total: j.length + a.length });
    previous = mark;
  }
  return slices;
}

/** Requests a minute over a stretch of passes that took `elapsedMs`, one decimal. */
export function perMinute(requests: number, elapsedMs: number): number {
  if (elapsedMs <= 0) return 0;
  return Math.round((requests / (elapsedMs / 60_000)) * 10) / 10;
}
