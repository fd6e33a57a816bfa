import { describe, expect, it } from 'vitest';
import { interpretResult } from '../../src/reconcile/result.js';

const found = (value: unknown) => interpretResult({ kind: 'found', value }, 'run_pipeline');

describe('interpretResult', () => {
  it('reads a good result', () => {
    expect(found({ run_id: 'RUN-2025-01-05-0001', item_count: 4870, error: null })).toEqual({
      platformRunId: 'RUN-2025-01-05-0001',
      itemCount: 4870,
      error: null,
      gap: null,
    });
  });

  it('keeps the pipeline’s error text', () => {
    expect(found({ run_id: 'RUN-1', item_count: 0, error: 'Timeout scraping page 3' })).toMatchObject({ error: 'Timeout scraping page 3', gap: null });
  });

  it('a blank error means no error', () => {
    expect(found({ run_id: 'RUN-1', item_count: 5, error: '' })).toMatchObject({ error: null, gap: null });
    expect(found({ run_id: 'RUN-1', item_count: 5, error: '  ' })).toMatchObject({ error: null, gap: null });
  });

  it('an error that is not a string is kept as its JSON', () => {
    expect(found({ run_id: 'RUN-1', error: { code: 7 } }).error).toBe('{"code":7}');
  });

  it('a numeric run id is read as text', () => {
    expect(found({ run_id: 1234, item_count: 1, error: null }).platformRunId).toBe('1234');
  });

  it('a missing result is a gap that says why, not an error', () => {
    const outcome = interpretResult({ kind: 'missing', reason: 'no XCom return_value for task run_pipeline' }, 'run_pipeline');
    expect(outcome).toMatchObject({ platformRunId: null, itemCount: null, error: null });
    expect(outcome.gap).toBe('The run left no result (no XCom return_value for task run_pipeline).');
  });

  it.each([
    ['a string', 'done', 'got a string "done"'],
    ['a number', 42, 'got a number 42'],
    ['an array', [1, 2], 'got an array'],
    ['null', null, 'got null'],
  ])('a result that is %s is malformed', (_what, value, says) => {
    const outcome = found(value);
    expect(outcome).toMatchObject({ platformRunId: null, itemCount: null, error: null });
    expect(outcome.gap).toContain('The result of run_pipeline was malformed');
    expect(outcome.gap).toContain(says);
  });

  it.each([
    ['a negative count', { run_id: 'R', item_count: -1 }, 'item_count is not a whole number'],
    ['a fractional count', { run_id: 'R', item_count: 1.5 }, 'item_count is not a whole number'],
    ['a count as text', { run_id: 'R', item_count: '12' }, 'item_count is not a whole number'],
    ['an object run id', { run_id: { id: 1 }, item_count: 3 }, 'run_id is not a string'],
    ['none of the keys', { status: 'ok' }, 'none of run_id, item_count, error is present'],
  ])('%s is a gap, and the good parts are kept', (_what, value, says) => {
    const outcome = found(value);
    expect(outcome.gap).toContain(says);
    expect(outcome.error).toBeNull();
  });

  it('keeps the readable fields of a partly malformed result', () => {
    expect(found({ run_id: 'RUN-9', item_count: 'many' })).toMatchObject({ platformRunId: 'RUN-9', itemCount: null });
    expect(found({ run_id: ['x'], item_count: 3 })).toMatchObject({ platformRunId: null, itemCount: 3 });
  });

  it('a result with only some keys is not malformed', () => {
    expect(found({ run_id: 'RUN-3' })).toEqual({ platformRunId: 'RUN-3', itemCount: null, error: null, gap: null });
  });
});
