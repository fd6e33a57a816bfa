import { addDagReadRoutes } from '../dag-reads.js';
import { InputError, objectBody, rejectUnknownKeys } from '../input.js';
import type { AddRoute } from '../routing.js';
import type { AirflowState } from '../state.js';
import { V2 } from './dialect.js';
import { dagNotFound, detail } from './errors.js';
import { dagV2 } from './views.js';

export function addDagRoutesV2(add: AddRoute, state: AirflowState): void {
  addDagReadRoutes(add, state, V2, likeMatcher);

  add('PATCH', `${V2.prefix}/dags/:dagId`, (req) => {
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
function likeMatcher(text: string | null): ((dagId: string) => boolean) | null {
  if (text === null || text === '') return null;
  const alternatives = text.split('|').map((part) => {
    const trimmed = part.trim();
    const like = trimmed.includes('%') || trimmed.includes('_') ? trimmed : `%${trimmed}%`;
    return like.replace(/[.*+?^${}()[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.');
  });
  const pattern = new RegExp(`^(?:${alternatives.join('|')})$`, 'i');
  return (dagId) => pattern.test(dagId);
}
