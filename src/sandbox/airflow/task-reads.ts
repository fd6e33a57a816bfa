import type { SimRequest, SimResponse } from '../common/http.js';
import { limitParam, offsetParam, pageOf } from './paging.js';
import { pythonStr } from './python-repr.js';
import { RESULT_KEY, TASK_ID } from './task.js';
import type { SimDagRun } from './types.js';

/** A page of a run's task instances (a sim run has just the one). */
export function taskInstancePage(query: URLSearchParams, defaultLimit: number, all: Array<Record<string, unknown>>): SimResponse {
  const limit = limitParam(query, defaultLimit);
  const offset = offsetParam(query);
  return { status: 200, body: { task_instances: pageOf(all, offset, limit), total_entries: all.length } };
}

/** Whether the path names an XCom the sim keeps: run_pipeline's return_value of a run that left one. */
export function hasResultXcom(run: SimDagRun | undefined, req: SimRequest): run is SimDagRun {
  return run !== undefined && req.params.taskId === TASK_ID && req.params.key === RESULT_KEY && run.result !== undefined;
}

/** The XCom value as the API hands it out: with stringify, Python's str(value), the repr of a dict. */
export function xcomValue(run: SimDagRun, stringify: boolean): unknown {
  return stringify ? pythonStr(run.result) : run.result;
}
