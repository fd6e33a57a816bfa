import { describe, expect, it } from 'vitest';
import { finalWrite, problemsToText } from '../../src/reconcile/final-write.js';
import { rejectedComment } from '../../src/reconcile/comments.js';
import { record } from './builders.js';
import { plainText } from './fakes.js';

const READY = 'Ready to Run';
const uiUrl = (dagId: string, runId: string) => `https://airflow.example.com/dags/${dagId}/grid?dag_run_id=${runId}`;

describe('finalWrite', () => {
  it('a success sets Run Status, the run ids and moves to Completed with item count and duration', () => {
    const write = finalWrite(
      record({
        state: 'success',
        platformRunId: 'RUN-2025-01-05-0001',
        itemCount: 4870,
        startedAt: '2025-01-05T10:00:00.000Z',
        finishedAt: '2025-01-05T11:02:05.000Z',
      }),
      uiUrl,
      READY,
    );
    expect(write.target).toBe('completed');
    expect(write.fields).toEqual({ runStatus: 'success', airflowRunId: 'jira__SCR-1__10001', platformRunId: 'RUN-2025-01-05-0001' });
    const text = plainText(write.comment);
    expect(text).toContain('Airflow run succeeded.');
    expect(text).toContain('Items: 4,870.');
    expect(text).toContain('Duration: 1h 2m 5s.');
    expect(text).toContain(uiUrl('scraper_alfabeta', 'jira__SCR-1__10001'));
    expect(text).not.toContain('Error:');
    expect(write.comment.marker).toBe('finished:jira__SCR-1__10001');
  });

  it('a failure moves to Failed with the pipeline’s error text', () => {
    const write = finalWrite(record({ state: 'failed', error: 'Timeout scraping page 3', finishedAt: '2025-01-05T10:00:30.000Z' }), uiUrl, READY);
    expect(write.target).toBe('failed');
    expect(write.fields.runStatus).toBe('failed');
    expect(write.fields).not.toHaveProperty('platformRunId');
    expect(plainText(write.comment)).toContain('Airflow run failed.');
    expect(plainText(write.comment)).toContain('Error: Timeout scraping page 3');
    expect(plainText(write.comment)).toContain('Duration: 30s.');
  });

  it('a success whose result was missing says so as a note, not as an error', () => {
    const text = plainText(finalWrite(record({ state: 'success', error: 'The run left no result (no XCom).' }), uiUrl, READY).comment);
    expect(text).toContain('Note: The run left no result (no XCom).');
    expect(text).toContain('Items: unknown.');
    expect(text).not.toContain('Error:');
  });

  it('a request that never started says why, and fails the ticket', () => {
    const why = 'The DAG scraper_alfabeta is paused in Airflow, so a run would stay queued.';
    const write = finalWrite(record({ state: 'failed', startedAt: null, error: why }), uiUrl, READY);
    expect(write).toMatchObject({ target: 'failed', fields: { runStatus: 'failed' } });
    expect(write.comment.marker).toBe('not-started:jira__SCR-1__10001');
    expect(plainText(write.comment)).toBe(`No Airflow run was started: ${why}`);
  });

  it('a cancelled request stays where the person put it', () => {
    const stopped = finalWrite(record({ state: 'cancelled', error: null }), uiUrl, READY);
    expect(stopped).toMatchObject({ target: null, fields: { runStatus: 'cancelled' } });
    expect(plainText(stopped.comment)).toContain('is marked failed in Airflow');
    const notFound = finalWrite(record({ state: 'cancelled', error: 'The DAG run was not found in Airflow.' }), uiUrl, READY);
    expect(plainText(notFound.comment)).toContain('The DAG run was not found in Airflow.');
  });

  it('a rejected request is rebuilt from its record into the very comment the rejection posted', () => {
    const problems = [
      { field: 'Source' as const, problem: '"mars" is not allowed; expected one of alfabeta, quebec, lafa' },
      { field: 'Parameters' as const, problem: 'is an array, not an object; expected a JSON object such as {"limit": 100}' },
    ];
    const write = finalWrite(record({ state: 'invalid', airflowDagRunId: null, startedAt: null, error: problemsToText(problems) }), uiUrl, READY);
    expect(write).toMatchObject({ target: 'failed', fields: { runStatus: 'invalid' } });
    expect(write.comment).toEqual(rejectedComment(problems, READY));
    expect(plainText(write.comment)).toContain('Source: "mars" is not allowed');
  });

  it('is the same write every time for the same record (a crash repeats it exactly)', () => {
    const done = record({ state: 'success', platformRunId: 'RUN-1', itemCount: 3, finishedAt: '2025-01-05T10:01:00.000Z' });
    expect(finalWrite(done, uiUrl, READY)).toEqual(finalWrite({ ...done }, uiUrl, READY));
  });

  it('refuses a request that has not ended', () => {
    expect(() => finalWrite(record({ state: 'running' }), uiUrl, READY)).toThrow(/running/);
  });
});
