import type { AirflowSim } from '../airflow/index.js';
import type { JiraSim } from '../jira/server.js';

export interface DemoTicket {
  key: string;
  source: string;
  story: string;
}

interface Seed {
  source: string;
  runType: string;
  environment: string;
  params: string | object;
  story: string;
  plan?: 'fail' | 'fail-once' | 'missing-result';
}

const SEEDS: Seed[] = [
  { source: 'alfabeta', runType: 'FULL_REFRESH', environment: 'prod', params: {}, story: 'full refresh' },
  { source: 'alfabeta', runType: 'DELTA', environment: 'staging', params: { since: '2026-11-01' }, story: 'delta' },
  { source: 'alfabeta', runType: 'SINGLE_PRODUCT', environment: 'dev', params: { product_id: 'AB-1042' }, story: 'one product' },
  { source: 'quebec', runType: 'FULL_REFRESH', environment: 'prod', params: {}, story: 'full refresh' },
  { source: 'quebec', runType: 'DELTA', environment: 'prod', params: { since: '2026-11-20' }, story: 'the DAG fails', plan: 'fail' },
  { source: 'quebec', runType: 'DELTA', environment: 'dev', params: {}, story: 'DAG leaves no result', plan: 'missing-result' },
  { source: 'lafa', runType: 'FULL_REFRESH', environment: 'staging', params: { categories: ['dairy', 'bakery'] }, story: 'full refresh' },
  { source: 'lafa', runType: 'DELTA', environment: 'prod', params: {}, story: 'delta' },
  { source: 'lafa', runType: 'SINGLE_PRODUCT', environment: 'prod', params: { product_id: 'LF-77' }, story: 'one product' },
  { source: 'alfabeta', runType: 'DELTA', environment: 'prod', params: { limit: 500 }, story: 'delta with a limit' },
  { source: 'lafa', runType: 'DELTA', environment: 'dev', params: {}, story: 'fails once, retried', plan: 'fail-once' },
  { source: 'atlantis', runType: 'DELTA', environment: 'prod', params: {}, story: 'bad input: unknown source' },
  { source: 'lafa', runType: 'FULL_REFRESH', environment: 'qa', params: '{"limit": 10,', story: 'bad input: Parameters not JSON, environment qa' },
];

/** Thirteen tickets across the three sources, moved into Ready to Run as a person would. */
export function seedDemo(jira: JiraSim, airflow: AirflowSim): DemoTicket[] {
  return SEEDS.map((seed) => {
    const { key } = jira.createIssue({
      summary: `Run ${seed.source} ${seed.runType.toLowerCase()} (${seed.story})`,
      source: seed.source,
      runType: seed.runType,
      environment: seed.environment,
      params: seed.params,
    });
    if (seed.plan === 'fail') {
      airflow.plan(
        { confMatch: { jira_issue_key: key } },
        { state: 'failed', result: { run_id: null, item_count: 0, error: 'HTTP 503 from the quebec catalogue after 5 retries' } },
      );
    } else if (seed.plan === 'fail-once') {
      // The first run fails for a passing reason the demo's retry policy matches; the retry succeeds.
      airflow.plan(
        { confMatch: { jira_issue_key: key } },
        { state: 'failed', result: { run_id: null, item_count: 0, error: 'the lafa portal answered 503: try again later' } },
        { times: 1 },
      );
    } else if (seed.plan === 'missing-result') {
      airflow.plan({ confMatch: { jira_issue_key: key } }, { state: 'success', result: 'missing' });
    }
    jira.moveIssue(key, 'Ready to Run');
    return { key, source: seed.source, story: seed.story };
  });
}
