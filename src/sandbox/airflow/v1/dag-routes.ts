import { addDagReadRoutes } from '../dag-reads.js';
import { InputError, objectBody } from '../input.js';
import type { AddRoute } from '../routing.js';
import type { AirflowState } from '../state.js';
import { V1 } from './dialect.js';
import { badRequest, dagNotFound } from './errors.js';
import { dagV1 } from './views.js';

export function addDagRoutesV1(add: AddRoute, state: AirflowState): void {
  addDagReadRoutes(add, state, V1, substringMatcher);

  add('PATCH', `${V1.prefix}/dags/:dagId`, (req) => {
    const dagId = req.params.dagId ?? '';
    if (!state.dags.has(dagId)) return dagNotFound(dagId);
    const mask = (req.query.get('update_mask') ?? '').split(',').filter((field) => field !== '');
    if (mask.some((field) => field !== 'is_paused')) return badRequest('Only `is_paused` field can be updated through the REST API');
    const body = objectBody(req.body);
    if (typeof body.is_paused !== 'boolean') throw new InputError(['body', 'is_paused'], 'Not a valid boolean.', body.is_paused);
    const dag = state.setPaused(dagId, body.is_paused);
    return dag ? { status: 200, body: dagV1(dag) } : dagNotFound(dagId);
  });
}

/** Airflow 2 takes `dag_id_pattern` as a case-insensitive substring. */
function substringMatcher(pattern: string | null): ((dagId: string) => boolean) | null {
  const lower = pattern?.toLowerCase();
  return lower ? (dagId) => dagId.toLowerCase().includes(lower) : null;
}
