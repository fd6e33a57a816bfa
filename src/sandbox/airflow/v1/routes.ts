import { Router } from '../../common/http.js';
import { formatV1 } from '../dates.js';
import type { InputError } from '../input.js';
import { withInputErrors, type AddRoute } from '../routing.js';
import type { AirflowState } from '../state.js';
import { addStatusRoutes } from '../status-routes.js';
import { addDagRoutesV1 } from './dag-routes.js';
import { badRequest } from './errors.js';
import { addRunRoutesV1 } from './run-routes.js';
import { addTaskRoutesV1 } from './task-routes.js';

/** The Airflow 2 stable REST API (`/api/v1`) over the sim's state. */
export function routerV1(state: AirflowState): Router {
  const router = new Router();
  const add: AddRoute = (method, pattern, handler) => router.add(method, pattern, withInputErrors(handler, inputProblem));
  addRunRoutesV1(add, state);
  addDagRoutesV1(add, state);
  addTaskRoutesV1(add, state);
  addStatusRoutes(add, state, { versionPath: '/api/v1/version', healthPath: '/api/v1/health', version: '2.10.5', formatDate: formatV1 });
  return router;
}

/** A 400 problem whose detail names the field, as connexion/marshmallow answer. */
function inputProblem(error: InputError): ReturnType<typeof badRequest> {
  const field = error.loc.filter((part) => part !== 'body' && part !== 'query').join('.');
  return badRequest(field === '' ? error.message : `${field}: ${error.message}`);
}

/** The body of the plumbing's own errors (no route, bad JSON). */
export function errorBodyV1(status: number, message: string): unknown {
  return { detail: message, status, title: message, type: 'about:blank' };
}
