import { FileConfig, type Config, type Secrets } from '../../src/config/schema.js';
import { completeConfig } from '../../src/config/read-config.js';
import { createAirflowGateway } from '../../src/airflow/airflow-gateway.js';
import type { AirflowGateway } from '../../src/airflow/gateway.js';
import type { UpstreamObserver } from '../../src/observability/upstream-observer.js';
import { fakeClock, type FakeClock } from '../support/fake-clock.js';
import { captureLog, type CapturedLog } from '../support/log-capture.js';

export const ROOT = 'https://airflow.example.com';
export const NOW = new Date('2025-01-05T12:00:00.000Z');

export function testConfig(options: { apiVersion?: 'v1' | 'v2'; secrets?: Secrets; retries?: number } = {}): Config {
  const file = FileConfig.parse({});
  return {
    ...completeConfig(file, {}, null),
    http: { ...file.http, retries: options.retries ?? 2 },
    jira: { ...file.jira, baseUrl: 'https://jira.example.com', projects: ['SCR'] },
    airflow: {
      ...file.airflow,
      apiVersion: options.apiVersion ?? 'v1',
      baseUrl: `${ROOT}/`,
      uiBaseUrl: 'https://airflow-ui.example.com',
    },
    secrets: options.secrets ?? {},
    configFile: null,
  };
}

export interface Harness {
  gateway: AirflowGateway;
  clock: FakeClock;
  logs: CapturedLog;
  observed: string[];
}

export function harness(options: Parameters<typeof testConfig>[0] = {}): Harness {
  const clock = fakeClock(NOW);
  const logs = captureLog();
  const observed: string[] = [];
  const observer: UpstreamObserver = { request: (upstream, code) => void observed.push(`${upstream} ${code}`) };
  const gateway = createAirflowGateway({ config: testConfig(options), clock, log: logs.log, observer });
  return { gateway, clock, logs, observed };
}

export function apiRun(dagId: string, dagRunId: string, state = 'running'): Record<string, unknown> {
  return {
    dag_id: dagId,
    dag_run_id: dagRunId,
    state,
    start_date: state === 'queued' ? null : '2025-01-05T11:00:00+00:00',
    end_date: state === 'success' || state === 'failed' ? '2025-01-05T11:30:00+00:00' : null,
    logical_date: '2025-01-05T10:59:59+00:00',
    run_type: 'manual',
    conf: {},
  };
}
