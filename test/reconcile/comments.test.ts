import { describe, expect, it } from 'vitest';
import {
  contentHash,
  finishedComment,
  formatDuration,
  notStartedComment,
  rejectedComment,
  startedComment,
  stoppedComment,
  stuckComment,
} from '../../src/reconcile/comments.js';
import { plainText } from './fakes.js';

const run = { dagId: 'scraper_quebec', dagRunId: 'jira__SCR-4__10001', uiUrl: 'https://airflow.example.com/x' };
const outcome = { platformRunId: 'RUN-1', itemCount: 10, error: null, gap: null };

describe('comments', () => {
  it('the same problems give the same marker, so a ticket is never told twice', () => {
    const problems = [{ field: 'Source' as const, problem: 'is empty; expected one of alfabeta, quebec, lafa' }];
    expect(rejectedComment(problems, 'Ready to Run').marker).toBe(rejectedComment([{ ...problems[0]! }], 'Ready to Run').marker);
    expect(rejectedComment(problems, 'Ready to Run').marker).toMatch(/^invalid:[0-9a-f]{12}$/);
  });

  it('different problems give a different marker, so fixed-but-still-wrong input is told again', () => {
    const a = rejectedComment([{ field: 'Source', problem: 'is empty' }], 'Ready to Run');
    const b = rejectedComment([{ field: 'Source', problem: 'is empty' }, { field: 'Environment', problem: 'is empty' }], 'Ready to Run');
    expect(a.marker).not.toBe(b.marker);
  });

  it('names every bad field and says what to do', () => {
    const text = plainText(
      rejectedComment([
        { field: 'Source', problem: 'is empty' },
        { field: 'Parameters', problem: 'is not valid JSON' },
      ], 'Ready to Run'),
    );
    expect(text).toContain('Source: is empty');
    expect(text).toContain('Parameters: is not valid JSON');
    expect(text).toContain('move the ticket back to Ready to Run');
  });

  it("tells the ticket to go back to its own project's Ready to Run status, with the same marker", () => {
    const problems = [{ field: 'Source' as const, problem: 'is empty' }];
    const ops = plainText(rejectedComment(problems, 'Queued for run'));
    expect(ops).toContain('move the ticket back to Queued for run.');
    expect(ops).not.toContain('Ready to Run');
    expect(rejectedComment(problems, 'Queued for run').marker).toBe(rejectedComment(problems, 'Ready to Run').marker);
  });

  it('prints the item count with thousands separators', () => {
    expect(plainText(finishedComment(run, 'success', { ...outcome, itemCount: 6049402 }, 5))).toContain('Items: 6,049,402.');
    expect(plainText(finishedComment(run, 'success', { ...outcome, itemCount: 0 }, 5))).toContain('Items: 0.');
    expect(plainText(finishedComment(run, 'success', { ...outcome, itemCount: null }, 5))).toContain('Items: unknown.');
  });

  it('the watchdog counts its minutes in good English', () => {
    expect(plainText(stuckComment(run, 'queued', 1, null))).toContain('Airflow run queued for 1 minute.');
    expect(plainText(stuckComment(run, 'running', 90, null))).toContain('Airflow run running for 90 minutes.');
    expect(plainText(stuckComment(run, 'running', 1500, null))).toContain('for 1,500 minutes.');
  });

  it('run comments are marked by the DAG run id, one per stage', () => {
    const markers = [
      startedComment(run, { runType: 'DELTA', environment: 'dev' }).marker,
      finishedComment(run, 'success', outcome, 5).marker,
      finishedComment(run, 'failed', outcome, 5).marker,
      stoppedComment(run, null).marker,
      notStartedComment(run.dagRunId, 'why').marker,
    ];
    expect(markers).toEqual([
      'started:jira__SCR-4__10001',
      'finished:jira__SCR-4__10001',
      'finished:jira__SCR-4__10001',
      'cancelled:jira__SCR-4__10001',
      'not-started:jira__SCR-4__10001',
    ]);
  });

  it('the started comment says which DAG, which run id and where to look', () => {
    const comment = startedComment(run, { runType: 'FULL_REFRESH', environment: 'prod' });
    const text = plainText(comment);
    expect(text).toContain('scraper_quebec');
    expect(text).toContain('jira__SCR-4__10001');
    expect(text).toContain('(FULL_REFRESH on prod)');
    expect(comment.paragraphs.flat()).toContainEqual({ text: run.uiUrl, href: run.uiUrl });
  });

  it('contentHash is stable and short', () => {
    expect(contentHash('a')).toBe(contentHash('a'));
    expect(contentHash('a')).not.toBe(contentHash('b'));
    expect(contentHash('a')).toHaveLength(12);
  });

  it.each([
    [0, '0s'],
    [59.6, '1m 0s'],
    [125, '2m 5s'],
    [3725, '1h 2m 5s'],
    [-3, '0s'],
  ])('formatDuration(%d) is %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });
});
