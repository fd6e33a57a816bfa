import type { SimRequest, SimResponse } from '../../common/http.js';
import { jiraError, type JiraContext } from '../context.js';

/** What Jira answers a caller without the Administer Jira global permission. */
export function notAdmin(context: JiraContext): SimResponse {
  return jiraError(403, [context.deployment === 'cloud' ? 'Only Jira administrators can access this resource.' : 'You are not authorized to perform this operation. Please log in.']);
}

/** Runs the handler for a Jira administrator; anyone else gets the 403. */
export function asAdmin(context: JiraContext, req: SimRequest, handler: () => SimResponse): SimResponse {
  return context.isAdmin(req) ? handler() : notAdmin(context);
}
