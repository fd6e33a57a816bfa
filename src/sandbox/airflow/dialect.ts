import type { SimResponse } from '../common/http.js';
import type { SimDag, SimDagRun } from './types.js';

/**
 * What the routes both API versions serve alike need to know of one version: where it lives, its
 * page size, and how it shows DAGs and runs and says one is missing.
 */
export interface Dialect {
  prefix: '/api/v1' | '/api/v2';
  /** Page size when the request names none: 100 in Airflow 2, 50 in Airflow 3. */
  defaultLimit: number;
  dagView: (dag: SimDag) => Record<string, unknown>;
  dagDetailsView: (dag: SimDag) => Record<string, unknown>;
  dagRunView: (run: SimDagRun) => Record<string, unknown>;
  dagNotFound: (dagId: string) => SimResponse;
  dagRunNotFound: (dagId: string, dagRunId: string) => SimResponse;
}
