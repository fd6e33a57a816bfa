import { describe, expect, it } from 'vitest';
import { lastSeenTicket } from '../../src/reconcile/last-seen.js';
import { record } from './builders.js';

const STATUSES = { ready: 'Ready to Run' };

describe('lastSeenTicket', () => {
  it('keeps the hold label the reconciler last saw: a held ticket the feed says nothing new about stays held', () => {
    const held = record({ state: 'running', lastProblem: 'held: held by the label reconciler-hold' });
    expect(lastSeenTicket(held, STATUSES).labels).toEqual(['reconciler-hold']);
  });

  it('has no labels when the record says nothing of a hold (a suspended source is config, not a label)', () => {
    expect(lastSeenTicket(record({ state: 'running', lastProblem: null }), STATUSES).labels).toEqual([]);
    expect(lastSeenTicket(record({ state: 'running', lastProblem: 'held: its source alfabeta is suspended' }), STATUSES).labels).toEqual([]);
  });
});
