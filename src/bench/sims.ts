import { startAirflowSim, type AirflowSim } from '../sandbox/airflow/index.js';
import type { JiraDeployment } from '../sandbox/jira/deployment.js';
import { startJiraSim, type JiraSim } from '../sandbox/jira/server.js';

export interface BenchSims {
  /** Jira Cloud (REST v3) or Data Center (REST v2, a personal access token). */
  deployment: JiraDeployment;
  jira: JiraSim;
  airflow: AirflowSim;
  /** Moves the Airflow clock forward, so queued runs start and running ones end without waiting. */
  advanceAirflow(ms: number): void;
  /** Seeds dated this far in the past (both clocks), so a later change feed has nothing to report about them. */
  backdate(ms: number): void;
  /** Every request to either simulator waits this long before it is answered. */
  armLatency(ms: number): void;
  close(): Promise<void>;
}

export interface SimTiming {
  queuedMs: number;
  runningMs: number;
}

/**
 * Both simulators on real time plus an offset the bench controls. The offsets only ever date seeds in
 * the past or move Airflow ahead: a run dated after the daemon's clock is still "started since".
 */
export async function startBenchSims(timing: SimTiming, deployment: JiraDeployment = 'cloud'): Promise<BenchSims> {
  let jiraOffset = 0;
  let airflowOffset = 0;
  const jira = await startJiraSim({ deployment, now: () => Date.now() + jiraOffset });
  const airflow = await startAirflowSim({ now: () => Date.now() + airflowOffset, timing });
  return {
    deployment,
    jira,
    airflow,
    advanceAirflow(ms) {
      airflowOffset += ms;
      airflow.tick();
    },
    backdate(ms) {
      jiraOffset = -ms;
      airflowOffset = -ms;
    },
    armLatency(ms) {
      for (const faults of [jira.faults, airflow.faults]) {
        faults.clear();
        faults.inject({ fault: { kind: 'latency', ms } });
      }
    },
    async close() {
      await Promise.all([jira.close(), airflow.close()]);
    },
  };
}

/** Index of the next request in each log, to count a stretch of the bench from. */
export interface Mark {
  jira: number;
  airflow: number;
}

export function mark(sims: BenchSims): Mark {
  return { jira: sims.jira.log.entries.length, airflow: sims.airflow.log.entries.length };
}
