import type { DagRun, DagRunState } from '../../src/airflow/gateway.js';
import type { DecideRules } from '../../src/reconcile/decide.js';
import type { RunRecord } from '../../src/store/run-record.js';
import { START } from './fakes.js';

/** The rules of the default config; alfabeta's Parameters need a numeric `limit` when one is given. */
export function rules(): DecideRules {
  return {
    sources: ['alfabeta', 'quebec', 'lafa'],
    runTypes: ['FULL_REFRESH', 'DELTA', 'SINGLE_PRODUCT'],
    environments: ['dev', 'staging', 'prod'],
    paramsProblems: (source, params) =>
      source === 'alfabeta' && 'limit' in params && typeof params.limit !== 'number' ? ['/limit must be number'] : [],
    statuses: { ready: 'Ready to Run', completed: 'Completed', failed: 'Failed - Needs Investigation', cancelled: 'Cancelled' },
    dagIdFor: (source) => `scraper_${source}`,
  };
}

/** The store's record of SCR-1's request 10001, triggered and announced, unless overridden. */
export function record(overrides: Partial<RunRecord> = {}): RunRecord {
  return {
    id: 1,
    jiraIssueKey: 'SCR-1',
    requestId: '10001',
    attempt: 1,
    source: 'alfabeta',
    runType: 'DELTA',
    environment: 'dev',
    params: '{"limit":100}',
    airflowDagId: 'scraper_alfabeta',
    airflowDagRunId: 'jira__SCR-1__10001',
    state: 'running',
    jiraPhase: 'started',
    platformRunId: null,
    itemCount: null,
    error: null,
    lastProblem: null,
    dueAt: null,
    stuckAt: null,
    requestedAt: null,
    summary: null,
    createdAt: START.toISOString(),
    updatedAt: START.toISOString(),
    startedAt: START.toISOString(),
    finishedAt: null,
    ...overrides,
  };
}

export function dagRun(state: DagRunState, overrides: Partial<DagRun> = {}): DagRun {
  return { dagId: 'scraper_alfabeta', dagRunId: 'jira__SCR-1__10001', state, startDate: null, endDate: null, ...overrides };
}
