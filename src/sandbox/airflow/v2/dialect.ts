import type { Dialect } from '../dialect.js';
import { dagNotFound, dagRunNotFound } from './errors.js';
import { dagDetailsV2, dagRunV2, dagV2 } from './views.js';

/** Airflow 3's public REST API. */
export const V2: Dialect = { prefix: '/api/v2', defaultLimit: 50, dagView: dagV2, dagDetailsView: dagDetailsV2, dagRunView: dagRunV2, dagNotFound, dagRunNotFound };
