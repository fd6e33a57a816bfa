import { afterEach, describe, expect, it, vi } from 'vitest';
import { PendingRecords } from '../../src/notify/pending-records.js';
import { captureLog } from '../support/log-capture.js';

describe('PendingRecords', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('records a delivery again by itself, with no drain, until the database takes it', async () => {
    vi.useFakeTimers();
    const recorded: number[] = [];
    let refusals = 2;
    const { log, text } = captureLog();
    const pending = new PendingRecords((id) => {
      if (refusals-- > 0) return Promise.reject(new Error('Connection terminated unexpectedly'));
      recorded.push(id);
      return Promise.resolve();
    }, log);

    pending.add(41);
    expect(pending.has(41)).toBe(true);
    await vi.advanceTimersByTimeAsync(200);
    await vi.advanceTimersByTimeAsync(200);
    expect(recorded).toEqual([]);
    expect(pending.size).toBe(1);
    await vi.advanceTimersByTimeAsync(200);
    expect(recorded).toEqual([41]);
    expect(pending.size).toBe(0);
    expect(text()).toMatch(/Recorded a notification sent earlier/);
    // Nothing left: no timer keeps running.
    expect(vi.getTimerCount()).toBe(0);
  });

  it('stops retrying once stopped; a flush still records what it can', async () => {
    vi.useFakeTimers();
    const recorded: number[] = [];
    const pending = new PendingRecords((id) => (recorded.push(id), Promise.resolve()), captureLog().log);
    pending.stop();
    pending.add(7);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(recorded).toEqual([]);
    await pending.flush();
    expect(recorded).toEqual([7]);
  });
});
