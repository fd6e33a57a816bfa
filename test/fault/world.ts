import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAirflowSim, type AirflowSim, type ApiVersion } from '../../src/sandbox/airflow/index.js';
import { startJiraSim, type JiraSim } from '../../src/sandbox/jira/server.js';
import { simEnv } from '../../src/sandbox/sim-env.js';
import { readyTicket } from '../integration/tickets.js';
import { DaemonRig } from './daemon-rig.js';

/** On the Airflow sim's clock: a run is queued this long, then runs this long. */
const TIMING = { queuedMs: 1_000, runningMs: 2_000 };
/** How far each look moves the Airflow sim's clock: runs end after a few looks, whatever the wall clock does. */
const ADVANCE_PER_POLL_MS = 500;

/** The requests a ticket can make, with the ones the DAG is planned to fail. */
const SHAPES = [
  { source: 'alfabeta', runType: 'FULL_REFRESH', environment: 'prod', params: {} },
  { source: 'quebec', runType: 'DELTA', environment: 'staging', params: { since: '2026-11-01' } },
  { source: 'lafa', runType: 'SINGLE_PRODUCT', environment: 'dev', params: { product_id: 'LF-77' } },
  { source: 'alfabeta', runType: 'DELTA', environment: 'dev', params: {} },
  { source: 'lafa', runType: 'FULL_REFRESH', environment: 'staging', params: { categories: ['dairy'] } },
  { source: 'quebec', runType: 'FULL_REFRESH', environment: 'prod', params: {} },
] as const;
const FAIL_EVERY = 5;

export interface FaultWorld {
  jira: JiraSim;
  airflow: AirflowSim;
  daemon: DaemonRig;
  /** Ticket keys, and those whose DAG run is planned to fail. */
  tickets: string[];
  failing: Set<string>;
  seed(count: number): void;
  /** Moves the Airflow sim's clock one step; called on every look. */
  drive(): void;
  close(): Promise<void>;
}

export interface FaultWorldOptions {
  apiVersion: ApiVersion;
  searchLagMs: number;
}

/** Jira Cloud and one Airflow, the Airflow clock driven by the test, and the daemon wired to both. */
export async function startFaultWorld(options: FaultWorldOptions): Promise<FaultWorld> {
  // Starts at the real time and only moves forward, so the daemon never sees Airflow dates in its past.
  let offset = 0;
  const jira = await startJiraSim({ searchLagMs: options.searchLagMs });
  const airflow = await startAirflowSim({ apiVersion: options.apiVersion, timing: TIMING, now: () => Date.now() + offset });
  const dir = mkdtempSync(join(tmpdir(), 'fault-suite-'));
  const daemon = new DaemonRig(
    simEnv(jira.url, airflow.url, {
      AIRFLOW_API_VERSION: options.apiVersion,
      RECONCILER_DB: join(dir, 'r.db'),
      RECONCILE_INTERVAL_SECONDS: '1',
      METRICS_PORT: '0',
      LOG_LEVEL: 'info',
    }),
  );
  const tickets: string[] = [];
  const failing = new Set<string>();
  return {
    jira,
    airflow,
    daemon,
    tickets,
    failing,
    seed(count) {
      for (let i = 0; i < count; i++) {
        const shape = SHAPES[tickets.length % SHAPES.length] ?? SHAPES[0];
        const key = readyTicket(jira, { ...shape, summary: `Fault suite request ${tickets.length + 1}` });
        if ((tickets.length + 1) % FAIL_EVERY === 0) {
          failing.add(key);
          airflow.plan({ confMatch: { jira_issue_key: key } }, { state: 'failed', result: { run_id: null, item_count: 0, error: 'HTTP 503 from the catalogue after 5 retries' } });
        }
        tickets.push(key);
      }
    },
    drive() {
      offset += ADVANCE_PER_POLL_MS;
      airflow.tick();
    },
    async close() {
      await daemon.stop();
      await Promise.all([jira.close(), airflow.close()]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
