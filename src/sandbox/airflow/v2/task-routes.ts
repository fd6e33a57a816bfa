import { boolParam, intParam } from '../input.js';
import type { AddRoute } from '../routing.js';
import { runAtPath, withRun } from '../run-reads.js';
import type { AirflowState } from '../state.js';
import { hasResultXcom, taskInstancePage, xcomValue } from '../task-reads.js';
import { V2 } from './dialect.js';
import { detail } from './errors.js';
import { addTaskStateRoutesV2 } from './task-state-routes.js';
import { taskInstanceV2, xcomV2 } from './views.js';

const RUN = `${V2.prefix}/dags/:dagId/dagRuns/:dagRunId`;

export function addTaskRoutesV2(add: AddRoute, state: AirflowState): void {
  add('GET', `${RUN}/taskInstances`, (req) => withRun(state, req, V2, (run) => taskInstancePage(req.query, V2.defaultLimit, [taskInstanceV2(run)])));

  add('GET', `${RUN}/taskInstances/:taskId/xcomEntries/:key`, (req) => {
    // Airflow 3 returns the stored JSON value unless stringify=true; deserialize changes nothing for plain JSON.
    const stringify = boolParam(req.query, 'stringify', false);
    boolParam(req.query, 'deserialize', false);
    intParam(req.query, 'map_index', -1, -1);
    const run = runAtPath(state, req);
    if (!hasResultXcom(run, req)) return detail(404, `XCom entry with key: \`${req.params.key ?? ''}\` not found`);
    return { status: 200, body: xcomV2(run, xcomValue(run, stringify)) };
  });

  addTaskStateRoutesV2(add, state);
}
