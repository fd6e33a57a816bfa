import type { AddRoute } from './routing.js';
import type { AirflowState } from './state.js';

/** Where a version serves its version and health, what it calls itself, and how it writes a date. */
export interface StatusEndpoints {
  versionPath: string;
  healthPath: string;
  version: string;
  formatDate: (ms: number) => string;
}

/** GET version and health, public in both versions; every component reports healthy as of the sim clock. */
export function addStatusRoutes(add: AddRoute, state: AirflowState, endpoints: StatusEndpoints): void {
  add('GET', endpoints.versionPath, () => ({ status: 200, body: { version: endpoints.version, git_version: null } }));

  add('GET', endpoints.healthPath, () => {
    const heartbeat = endpoints.formatDate(state.now());
    return {
      status: 200,
      body: {
        metadatabase: { status: 'healthy' },
        scheduler: { status: 'healthy', latest_scheduler_heartbeat: heartbeat },
        triggerer: { status: 'healthy', latest_triggerer_heartbeat: heartbeat },
        dag_processor: { status: 'healthy', latest_dag_processor_heartbeat: heartbeat },
      },
    };
  });
}
