import { boolParam, InputError, intParam, objectBody, rejectUnknownKeys } from '../input.js';
import { MAX_PAGE_LIMIT } from '../run-filters.js';
import type { AddRoute } from '../routing.js';
import type { AirflowState } from '../state.js';
import { dagNotFound, detail } from './errors.js';
import { dagV2 } from './views.js';

const PREFIX = '/api/v2';

export function addDagRoutesV2(add: AddRoute, state: AirflowState): void {
  add('GET', `${PREFIX}/dags`, (req) => {
    const limit = Math.min(intParam(req.query, 'limit', 50, 0), MAX_PAGE_LIMIT);
    const offset = intParam(req.query, 'offset', 0, 0);
    const paused = req.query.has('paused') ? boolParam(req.query, 'paused', false) : undefined;
    const pattern = likePattern(req.query.get('dag_id_pattern'));
    const dags = [...state.dags.values()]
      .filter((dag) => (paused === undefined || dag.isPaused === paused) && (!pattern || pattern.test(dag.dagId)))
      .sort((a, b) => a.dagId.localeCompare(b.dagId));
    return { status: 200, body: { dags: dags.slice(offset, offset + limit).map(dagV2), total_entries: dags.length } };
  });

  add('GET', `${PREFIX}/dags/:dagId`, (req) => {
    const dag = state.dags.get(req.params.dagId ?? '');
    return dag ? { status: 200, body: dagV2(dag) } : dagNotFound(req.params.dagId ?? '');
  });

  add('PATCH', `${PREFIX}/dags/:dagId`, (req) => {
    const body = objectBody(req.body);
    rejectUnknownKeys(body, ['is_paused']);
    if (typeof body.is_paused !== 'boolean') {
      throw new InputError(['body', 'is_paused'], body.is_paused === undefined ? 'Field required' : 'Input should be a valid boolean', body.is_paused ?? body, body.is_paused === undefined ? 'missing' : 'bool_type');
    }
    const mask = req.query.getAll('update_mask');
    if (mask.some((field) => field !== 'is_paused')) return detail(400, 'Only `is_paused` field can be updated through the REST API');
    const dag = state.setPaused(req.params.dagId ?? '', body.is_paused);
    return dag ? { status: 200, body: dagV2(dag) } : dagNotFound(req.params.dagId ?? '');
  });
}

/** SQL LIKE (`%`, `_`, case-insensitive) with `|` for OR, as Airflow 3's pattern filters take it; a bare word matches anywhere. */
function likePattern(text: string | null): RegExp | null {
  if (text === null || text === '') return null;
  const alternatives = text.split('|').map((part) => {
    const trimmed = part.trim();
    const like = trimmed.includes('%') || trimmed.includes('_') ? trimmed : `%${trimmed}%`;
    return like.replace(/[.*+?^${}()[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.');
  });
  return new RegExp(`^(?:${alternatives.join('|')})$`, 'i');
}
