import { Router, type SimRequest, type SimResponse } from '../../common/http.js';
import type { SimAuth } from '../auth.js';
import { formatV2 } from '../dates.js';
import { InputError, objectBody } from '../input.js';
import { withInputErrors, type AddRoute } from '../routing.js';
import type { AirflowState } from '../state.js';
import { addStatusRoutes } from '../status-routes.js';
import { addDagRoutesV2 } from './dag-routes.js';
import { detail, validationError } from './errors.js';
import { addRunRoutesV2 } from './run-routes.js';
import { addTaskRoutesV2 } from './task-routes.js';

/** The Airflow 3 public REST API (`/api/v2`) and its token endpoint over the sim's state. */
export function routerV2(state: AirflowState, auth: SimAuth): Router {
  const router = new Router();
  const add: AddRoute = (method, pattern, handler) => router.add(method, pattern, withInputErrors(handler, inputError));
  add('POST', '/auth/token', (req) => issueToken(auth, req));
  addRunRoutesV2(add, state);
  addDagRoutesV2(add, state);
  addTaskRoutesV2(add, state);
  addStatusRoutes(add, state, { versionPath: '/api/v2/version', healthPath: '/api/v2/monitor/health', version: '3.2.1', formatDate: formatV2 });
  return router;
}

function inputError(error: InputError): SimResponse {
  return error.status === 400 ? detail(400, error.message) : validationError([error]);
}

/** POST /auth/token takes JSON (or a form) with username and password and answers 201 {access_token}. */
function issueToken(auth: SimAuth, req: SimRequest): SimResponse {
  const body = req.body === undefined && req.rawBody !== '' ? Object.fromEntries(new URLSearchParams(req.rawBody)) : objectBody(req.body);
  for (const key of ['username', 'password']) {
    if (typeof body[key] !== 'string') throw new InputError(['body', key], 'Field required', body, 'missing');
  }
  const token = auth.issue(body.username, body.password);
  return token === null ? detail(401, 'Invalid credentials') : { status: 201, body: { access_token: token } };
}

/** The body of the plumbing's own errors (no route, bad JSON). */
export function errorBodyV2(_status: number, message: string): unknown {
  return { detail: message };
}
