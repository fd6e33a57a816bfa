import { FaultInjector } from '../common/faults.js';
import { startSimServer } from '../common/http.js';
import { RequestLog } from '../common/request-log.js';
import { SimAuth, unauthorized } from './auth.js';
import { AirflowState } from './state.js';
import type { AirflowSim, AirflowSimOptions, ApiVersion } from './types.js';
import { errorBodyV1, routerV1 } from './v1/routes.js';
import { errorBodyV2, routerV2 } from './v2/routes.js';

const DEFAULT_DAGS: NonNullable<AirflowSimOptions['dags']> = [{ dagId: 'scraper_alfabeta' }, { dagId: 'scraper_quebec' }, { dagId: 'scraper_lafa' }];
const DAY_MS = 24 * 60 * 60 * 1000;

/** A simulated Airflow 2 (`/api/v1`) or Airflow 3 (`/api/v2`) on loopback, on a clock the caller may drive. */
export async function startAirflowSim(options: AirflowSimOptions = {}): Promise<AirflowSim> {
  const apiVersion: ApiVersion = options.apiVersion ?? 'v1';
  const now = options.now ?? Date.now;
  const state = new AirflowState(now, options.timing ?? { queuedMs: 1000, runningMs: 3000 }, options.clobberFirstStop ?? false);
  for (const { dagId, ...dagOptions } of options.dags ?? DEFAULT_DAGS) state.addDag(dagId, dagOptions);
  const auth = new SimAuth({
    users: options.users ?? [{ username: 'admin', password: 'admin' }],
    tokens: options.tokens ?? [],
    now,
    tokenTtlMs: options.tokenTtlMs ?? DAY_MS,
  });
  const faults = new FaultInjector();
  const log = new RequestLog();
  const server = await startSimServer({
    router: apiVersion === 'v1' ? routerV1(state) : routerV2(state, auth),
    faults,
    log,
    ...(options.port === undefined ? {} : { port: options.port }),
    authenticate: (req) => {
      const reason = auth.reject(req, apiVersion);
      return reason === null ? null : unauthorized(apiVersion, reason);
    },
    errorBody: apiVersion === 'v1' ? errorBodyV1 : errorBodyV2,
  });

  return {
    url: server.url,
    apiVersion,
    server,
    faults,
    log,
    close: () => server.close(),
    addDag: (dagId, opts) => state.addDag(dagId, opts),
    setPaused: (dagId, paused) => {
      if (!state.setPaused(dagId, paused)) throw new Error(`The Airflow sim has no DAG '${dagId}'; add it with addDag first`);
    },
    removeDag: (dagId) => state.removeDag(dagId),
    plan: (match, outcome, planOptions) => state.plan(match, outcome, planOptions?.times),
    runs: () => state.runs().map((run) => ({ ...run })),
    run: (dagId, dagRunId) => {
      const run = state.find(dagId, dagRunId);
      return run && { ...run };
    },
    tick: () => state.tick(),
  };
}
