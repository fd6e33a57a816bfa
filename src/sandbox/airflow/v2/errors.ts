import type { SimResponse } from '../../common/http.js';
import type { InputError } from '../input.js';

/** FastAPI's HTTPException body. */
export function detail(status: number, text: string | Record<string, unknown>): SimResponse {
  return { status, body: { detail: text } };
}

export function dagNotFound(dagId: string): SimResponse {
  return detail(404, `The Dag with ID: \`${dagId}\` was not found`);
}

export function dagRunNotFound(dagId: string, dagRunId: string): SimResponse {
  return detail(404, `The DagRun with dag_id: \`${dagId}\` and run_id: \`${dagRunId}\` was not found`);
}

/** FastAPI's request validation error: a 422 with a list of {type, loc, msg, input}. */
export function validationError(errors: InputError[]): SimResponse {
  return {
    status: 422,
    body: { detail: errors.map((error) => ({ type: error.type, loc: error.loc, msg: error.message, input: error.input ?? null })) },
  };
}
