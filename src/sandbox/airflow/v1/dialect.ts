import type { Dialect } from '../dialect.js';
import { dagNotFound, dagRunNotFound } from './errors.js';
import { dagDetailsV1, dagRunV1, dagV1 } from './views.js';

/** Airflow 2's stable REST API. */
export const V1: Dialect = { prefix: '/api/v1', defaultLimit: 100, dagView: dagV1, dagDetailsView: dagDetailsV1, dagRunView: dagRunV1, dagNotFound, dagRunNotFound };
