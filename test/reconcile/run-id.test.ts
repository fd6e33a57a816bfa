import { describe, expect, it } from 'vitest';
import { DAG_RUN_ID_PATTERN, dagRunIdFor } from '../../src/reconcile/run-id.js';

describe('dagRunIdFor', () => {
  it('is jira__KEY__requestId', () => {
    expect(dagRunIdFor('SCR-12', '10001')).toBe('jira__SCR-12__10001');
    expect(dagRunIdFor('SCR-12', 'created')).toBe('jira__SCR-12__created');
  });

  it('is the same for the same request and different for a re-run', () => {
    expect(dagRunIdFor('SCR-12', '10001')).toBe(dagRunIdFor('SCR-12', '10001'));
    expect(dagRunIdFor('SCR-12', '10050')).not.toBe(dagRunIdFor('SCR-12', '10001'));
  });

  it('matches Airflow’s run id rule', () => {
    expect(DAG_RUN_ID_PATTERN.test(dagRunIdFor('OPS_2-9', '123456'))).toBe(true);
  });

  it('refuses to build an id Airflow would reject', () => {
    expect(() => dagRunIdFor('SCR 12', '10001')).toThrow(/valid DAG run id/);
    expect(() => dagRunIdFor('SCR-12', '1/2')).toThrow(/valid DAG run id/);
  });
});
