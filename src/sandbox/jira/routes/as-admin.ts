import type { SimRequest, SimResponse } from '../../common/http.js';
import { jiraError, type JiraContext } from '../context.js';

/**
 * What Jira answers a caller without the Administer Jira global permission: 403 as a rule, but the
 * Cloud spec documents 400 for POST /field ("the user does not have permission to create custom
 * fields") and 401 for POST /statuses ("or the caller doesn't have permissions"), so those say so.
 */
export function notAdmin(context: JiraContext, status: 400 | 401 | 403 = 403): SimResponse {
  return jiraError(status, [context.deployment === 'cloud' ? 'Only Jira administrators have permission to do this.' : 'You do not have permission to perform this operation: it needs the Jira Administrators global permission.']);
}

/** Runs the handler for a Jira administrator; anyone else gets the refusal. */
export function asAdmin(context: JiraContext, req: SimRequest, handler: () => SimResponse, status: 400 | 401 | 403 = 403): SimResponse {
  return context.isAdmin(req) ? handler() : notAdmin(context, status);
}
