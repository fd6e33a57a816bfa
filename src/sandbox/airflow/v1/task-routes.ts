import { boolParam } from '../input.js';
import type { AddRoute } from '../routing.js';
import { runAtPath } from '../run-reads.js';
import type { AirflowState } from '../state.js';
import { hasResultXcom, taskInstancePage, xcomValue } from '../task-reads.js';
import { V1 } from './dialect.js';
import { problem } from './errors.js';
import { addTaskStateRoutesV1 } from './task-state-routes.js';
import { taskInstanceV1, xcomV1 } from './views.js';

const RUN = `${V1.prefix}/dags/:dagId/dagRuns/:dagRunId`;

export function addTaskRoutesV1(add: AddRoute, state: AirflowState): void {
  add('GET', `${RUN}/taskInstances`, (req) => {
    const run = runAtPath(state, req);
    // Airflow 2 answers an unknown run with an empty list, not a 404.
    return taskInstancePage(req.query, V1.defaultLimit, run ? [taskInstanceV1(run)] : []);
  });

  add('GET', `${RUN}/taskInstances/:taskId/xcomEntries/:key`, (req) => {
    const run = runAtPath(state, req);
    // Without stringify=false Airflow 2 hands out str(value).
    const stringify = boolParam(req.query, 'stringify', true);
    if (!hasResultXcom(run, req)) return problem(404, 'XCom entry not found', 'XCom entry not found');
    return { status: 200, body: xcomV1(run, xcomValue(run, stringify)) };
  });

  addTaskStateRoutesV1(add, state);
}
