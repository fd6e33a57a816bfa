import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { Config } from '../config/schema.js';
import { isUpstreamError } from '../http/errors.js';
import type { UpstreamObserver } from '../observability/upstream-observer.js';
import { fetchDagRuns } from './batch.js';
import { verifiedStop } from './cancel.js';
import { compileConfCheck, readDagParams } from './dag-params.js';
import { fetchChangedRuns } from './changes.js';
import { fetchInFlightRuns } from './in-flight.js';
import { createAirflowClient, type AirflowClient } from './client.js';
import type { AirflowGateway, DagRun, RunConf } from './gateway.js';
import { toDag, toDagRun } from './map.js';
import { dagPath, dagRunPath, dagRunsPath, VERSION_PATH, xcomEntryPath } from './paths.js';
import { decodeXcomValue } from './result.js';
import { Dag as DagBody, DagRun as DagRunBody, VersionInfo, XcomEntry } from './schema.js';
import { uiUrl } from './ui-url.js';
import type { LeaseGuard } from '../lease/write-guard.js';

export interface AirflowGatewayDeps {
  config: Config;
  clock: Clock;
  log: Logger;
  observer?: UpstreamObserver;
  /** A client to share with other reads of the same Airflow (one login on Airflow 3); a new one otherwise. */
  client?: AirflowClient;
  /** The process is stopping: waits and backoffs are dropped, no new request goes out. */
  stop?: AbortSignal;
  /** Checked before every upstream request (the leader lease's guard); a throw fails it unsent. */
  leaseGuard?: LeaseGuard;
}

/** The real Airflow adapter: Airflow 2.10 on `/api/v1`, Airflow 3 on `/api/v2`. */
export function createAirflowGateway(deps: AirflowGatewayDeps): AirflowGateway {
  const { airflow } = deps.config;
  const client = deps.client ?? createAirflowClient(deps);

  async function getDagRun(dagId: string, dagRunId: string): Promise<DagRun | null> {
    const run = await orNull(client.send({ method: 'GET', path: dagRunPath(dagId, dagRunId) }, DagRunBody));
    return run && toDagRun(run);
  }

  return {
    async getDag(dagId) {
      const dag = await orNull(client.send({ method: 'GET', path: dagPath(dagId) }, DagBody));
      return dag && toDag(dag, airflow.apiVersion);
    },

    async checkDagParams(dagId, params) {
      const declared = await readDagParams({ client }, dagId);
      return declared && compileConfCheck(declared)(params);
    },

    async trigger(dagId, dagRunId, conf: RunConf) {
      // Airflow 3 requires the logical_date key (null: no data interval); Airflow 2 sets it to now itself.
      const data =
        airflow.apiVersion === 'v1' ? { dag_run_id: dagRunId, conf } : { dag_run_id: dagRunId, logical_date: null, conf };
      try {
        const run = await client.send({ method: 'POST', path: dagRunsPath(dagId), data }, DagRunBody);
        deps.log.debug({ dagId, dagRunId }, 'DAG run created');
        return { kind: 'created', run: toDagRun(run) };
      } catch (error) {
        if (!isUpstreamError(error, 'conflict')) throw error;
        deps.log.debug({ dagId, dagRunId }, 'DAG run id already exists');
        return { kind: 'exists' };
      }
    },

    getDagRun,

    getDagRuns(runs, since) {
      const batch = {
        client,
        apiVersion: airflow.apiVersion,
        concurrency: deps.config.http.concurrency,
        getDagRun,
        onBatchRefused: (error: Error) => deps.log.warn({ err: error }, 'Airflow refused the batch run list; asking run by run'),
      };
      return fetchDagRuns(batch, runs, since);
    },

    getChangedDagRuns(dagIds, since) {
      const onBatchRefused = (error: Error): void => deps.log.warn({ err: error }, 'Airflow refused the batch run list; listing each DAG');
      return fetchChangedRuns({ client, onBatchRefused }, dagIds, since);
    },

    getInFlightRuns(dagIds) {
      const onBatchRefused = (error: Error): void => deps.log.warn({ err: error }, 'Airflow refused the batch run list; listing each DAG');
      return fetchInFlightRuns({ client, onBatchRefused }, dagIds);
    },

    async getResult(dagId, dagRunId) {
      const path = xcomEntryPath(dagId, dagRunId, airflow.resultTaskId, airflow.resultXcomKey);
      // Without stringify=false Airflow 2 sends a Python repr; Airflow 3 defaults to false but says so too.
      const entry = await orNull(client.send({ method: 'GET', path, params: { stringify: false } }, XcomEntry));
      if (!entry) {
        return { kind: 'missing', reason: `the task ${airflow.resultTaskId} has no ${airflow.resultXcomKey} XCom` };
      }
      return { kind: 'found', value: decodeXcomValue(entry.value) };
    },

    async stopDagRun(dagId, dagRunId) {
      const outcome = await verifiedStop({ client, apiVersion: airflow.apiVersion, clock: deps.clock, log: deps.log, ...(deps.stop ? { signal: deps.stop } : {}) }, dagId, dagRunId);
      deps.log.debug({ dagId, dagRunId, outcome: outcome.kind }, 'DAG run stop done');
      return outcome;
    },

    uiUrl: (dagId, dagRunId) => uiUrl(airflow, dagId, dagRunId),

    async version() {
      return (await client.send({ method: 'GET', path: VERSION_PATH }, VersionInfo)).version;
    },
  };
}

async function orNull<T>(request: Promise<T>): Promise<T | null> {
  try {
    return await request;
  } catch (error) {
    if (isUpstreamError(error, 'not_found')) return null;
    throw error;
  }
}
