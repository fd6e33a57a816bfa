import type { AddRoute } from '../routing.js';
import { boolParam, InputError, intParam, objectBody } from '../input.js';
import { MAX_PAGE_LIMIT } from '../run-filters.js';
import type { AirflowState } from '../state.js';
import { badRequest, dagNotFound } from './errors.js';
import { dagV1 } from './views.js';

const PREFIX = '/api/v1';

export function addDagRoutesV1(add: AddRoute, state: AirflowState): void {
  add('GET', `${PREFIX}/dags`, (req) => {
    const limit = Math.min(intParam(req.query, 'limit', 100, 0), MAX_PAGE_LIMIT);
    const offset = intParam(req.query, 'offset', 0, 0);
    const paused = req.query.has('paused') ? boolParam(req.query, 'paused', false) : undefined;
    const pattern = req.query.get('dag_id_pattern')?.toLowerCase();
    const dags = [...state.dags.values()]
      .filter((dag) => (paused === undefined || dag.isPaused === paused) && (!pattern || dag.dagId.toLowerCase().includes(pattern)))
      .sort((a, b) => a.dagId.localeCompare(b.dagId));
    return { status: 200, body: { dags: dags.slice(offset, offset + limit).map(dagV1), total_entries: dags.length } };
  });

  add('GET', `${PREFIX}/dags/:dagId`, (req) => {
    const dag = state.dags.get(req.params.dagId ?? '');
    return dag ? { status: 200, body: dagV1(dag) } : dagNotFound(req.params.dagId ?? '');
  });

  add('PATCH', `${PREFIX}/dags/:dagId`, (req) => {
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
