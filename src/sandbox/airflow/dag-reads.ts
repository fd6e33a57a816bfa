import type { Dialect } from './dialect.js';
import { boolParam } from './input.js';
import { limitParam, offsetParam, pageOf } from './paging.js';
import type { AddRoute } from './routing.js';
import type { AirflowState } from './state.js';

/** Reads `dag_id_pattern` into a test of a DAG id; null when the request filters nothing. */
export type DagIdMatcher = (pattern: string | null) => ((dagId: string) => boolean) | null;

/** GET /dags, GET /dags/{dag_id} and its details: the versions differ only in page size, pattern syntax and the shapes they answer with. */
export function addDagReadRoutes(add: AddRoute, state: AirflowState, dialect: Dialect, matcher: DagIdMatcher): void {
  add('GET', `${dialect.prefix}/dags`, (req) => {
    const limit = limitParam(req.query, dialect.defaultLimit);
    const offset = offsetParam(req.query);
    const paused = req.query.has('paused') ? boolParam(req.query, 'paused', false) : undefined;
    const matches = matcher(req.query.get('dag_id_pattern'));
    const dags = [...state.dags.values()]
      .filter((dag) => (paused === undefined || dag.isPaused === paused) && (!matches || matches(dag.dagId)))
      .sort((a, b) => a.dagId.localeCompare(b.dagId));
    return { status: 200, body: { dags: pageOf(dags, offset, limit).map(dialect.dagView), total_entries: dags.length } };
  });

  add('GET', `${dialect.prefix}/dags/:dagId`, (req) => {
    const dag = state.dags.get(req.params.dagId ?? '');
    return dag ? { status: 200, body: dialect.dagView(dag) } : dialect.dagNotFound(req.params.dagId ?? '');
  });

  add('GET', `${dialect.prefix}/dags/:dagId/details`, (req) => {
    const dag = state.dags.get(req.params.dagId ?? '');
    return dag ? { status: 200, body: dialect.dagDetailsView(dag) } : dialect.dagNotFound(req.params.dagId ?? '');
  });
}
