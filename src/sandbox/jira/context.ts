import type { SimRequest, SimResponse } from '../common/http.js';
import type { JiraDeployment, RestApi } from './deployment.js';
import type { SimIssue, SimUser } from './model.js';
import type { JiraState } from './state.js';
import type { TransitionScreens } from './workflow.js';

/** What every route handler needs: the state, where the sim lives, and who is calling. */
export interface JiraContext {
  state: JiraState;
  deployment: JiraDeployment;
  /** Where the API lives and which deployment it plays; known once the server listens. */
  api(): RestApi;
  /** The path prefix of every route: /rest/api/3 (Cloud) or /rest/api/2 (Data Center). */
  prefix: string;
  screens: TransitionScreens;
  userOf(req: SimRequest): SimUser;
  /** Whether the caller holds the Administer Jira global permission. */
  isAdmin(req: SimRequest): boolean;
}

export function jiraError(status: number, errorMessages: string[] = [], errors: Record<string, string> = {}): SimResponse {
  return { status, body: { errorMessages, errors } };
}

/** Runs the handler on the issue named by the :key param, or answers 404 as Jira does. */
export function withIssue(context: JiraContext, req: SimRequest, handler: (issue: SimIssue) => SimResponse): SimResponse {
  const issue = context.state.get(req.params.key ?? '');
  if (!issue) return jiraError(404, [context.deployment === 'cloud' ? 'Issue does not exist or you do not have permission to see it.' : 'Issue Does Not Exist']);
  return handler(issue);
}

/** Values of a list parameter given comma-separated, repeated, or both. */
export function listParam(query: URLSearchParams, name: string): string[] {
  return query
    .getAll(name)
    .flatMap((value) => value.split(','))
    .map((value) => value.trim())
    .filter((value) => value !== '');
}

/** A non-negative integer parameter, its default when absent, or null when malformed. */
export function intParam(raw: unknown, fallback: number): number | null {
  if (raw === undefined || raw === null || raw === '') return fallback;
  const value = typeof raw === 'number' ? raw : Number(raw);
  return Number.isInteger(value) && value >= 0 ? value : null;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
