import { formatV2 } from '../dates.js';
import { boolParam, intParam } from '../input.js';
import { pythonStr } from '../python-repr.js';
import { MAX_PAGE_LIMIT } from '../run-filters.js';
import type { AddRoute } from '../routing.js';
import type { AirflowState } from '../state.js';
import { RESULT_KEY, TASK_ID } from '../task.js';
import { dagRunNotFound, detail } from './errors.js';
import { taskInstanceV2, xcomV2 } from './views.js';

const PREFIX = '/api/v2';
const RUN = `${PREFIX}/dags/:dagId/dagRuns/:dagRunId`;

export function addTaskRoutesV2(add: AddRoute, state: AirflowState): void {
  add('GET', `${RUN}/taskInstances`, (req) => {
    const run = state.find(req.params.dagId ?? '', req.params.dagRunId ?? '');
    if (!run) return dagRunNotFound(req.params.dagId ?? '', req.params.dagRunId ?? '');
    const limit = Math.min(intParam(req.query, 'limit', 50, 0), MAX_PAGE_LIMIT);
    const offset = intParam(req.query, 'offset', 0, 0);
    const all = [taskInstanceV2(run)];
    return { status: 200, body: { task_instances: all.slice(offset, offset + limit), total_entries: all.length } };
  });

  add('GET', `${RUN}/taskInstances/:taskId/xcomEntries/:key`, (req) => {
    // Airflow 3 returns the stored JSON value unless stringify=true; deserialize changes nothing for plain JSON.
    const stringify = boolParam(req.query, 'stringify', false);
    boolParam(req.query, 'deserialize', false);
    intParam(req.query, 'map_index', -1, -1);
    const run = state.find(req.params.dagId ?? '', req.params.dagRunId ?? '');
    if (!run || req.params.taskId !== TASK_ID || req.params.key !== RESULT_KEY || run.result === undefined) {
      return detail(404, `XCom entry with key: \`${req.params.key ?? ''}\` not found`);
    }
    return { status: 200, body: xcomV2(run, stringify ? pythonStr(run.result) : run.result) };
  });

  add('GET', `${PREFIX}/version`, () => ({ status: 200, body: { version: '3.2.1', git_version: null } }));

  add('GET', `${PREFIX}/monitor/health`, () => {
    const heartbeat = formatV2(state.now());
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
