import type { AddRoute } from '../routing.js';
import { formatV1 } from '../dates.js';
import { boolParam, intParam } from '../input.js';
import { pythonStr } from '../python-repr.js';
import { MAX_PAGE_LIMIT } from '../run-filters.js';
import type { AirflowState } from '../state.js';
import { RESULT_KEY, TASK_ID } from '../task.js';
import { problem } from './errors.js';
import { taskInstanceV1, xcomV1 } from './views.js';

const PREFIX = '/api/v1';
const RUN = `${PREFIX}/dags/:dagId/dagRuns/:dagRunId`;

export function addTaskRoutesV1(add: AddRoute, state: AirflowState): void {
  add('GET', `${RUN}/taskInstances`, (req) => {
    const run = state.find(req.params.dagId ?? '', req.params.dagRunId ?? '');
    const limit = Math.min(intParam(req.query, 'limit', 100, 0), MAX_PAGE_LIMIT);
    const offset = intParam(req.query, 'offset', 0, 0);
    // Airflow 2 answers an unknown run with an empty list, not a 404.
    const all = run ? [taskInstanceV1(run)] : [];
    return { status: 200, body: { task_instances: all.slice(offset, offset + limit), total_entries: all.length } };
  });

  add('GET', `${RUN}/taskInstances/:taskId/xcomEntries/:key`, (req) => {
    const run = state.find(req.params.dagId ?? '', req.params.dagRunId ?? '');
    const stringify = boolParam(req.query, 'stringify', true);
    if (!run || req.params.taskId !== TASK_ID || req.params.key !== RESULT_KEY || run.result === undefined) {
      return problem(404, 'XCom entry not found', 'XCom entry not found');
    }
    // Without stringify=false Airflow 2 hands out str(value): the Python repr of a dict.
    return { status: 200, body: xcomV1(run, stringify ? pythonStr(run.result) : run.result) };
  });

  add('GET', `${PREFIX}/version`, () => ({ status: 200, body: { version: '2.10.5', git_version: null } }));

  add('GET', `${PREFIX}/health`, () => {
    const heartbeat = formatV1(state.now());
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
