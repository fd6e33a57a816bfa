import type { SimRequest, SimResponse, SimServer } from '../common/http.js';
import { Router, startSimServer } from '../common/http.js';
import { FaultInjector } from '../common/faults.js';
import { RequestLog } from '../common/request-log.js';
import { adfToText, textToAdf } from './adf.js';
import { apiPrefix, restApi, type JiraDeployment, type RestApi } from './deployment.js';
import type { JiraContext } from './context.js';
import { writeFieldValue } from './field-values.js';
import { JiraCatalog, type JiraSimMode } from './catalog.js';
import { PERSON, type SimIssue, type SimUser } from './model.js';
import { addChangelogRoutes } from './routes/changelog.js';
import { addAdminRoutes } from './routes/admin.js';
import { addCommentRoutes } from './routes/comments.js';
import { addIssueRoutes } from './routes/issue.js';
import { addMetaRoutes } from './routes/meta.js';
import { addPropertyRoutes } from './routes/properties.js';
import { addOffsetSearchRoutes } from './routes/offset-search.js';
import { addPermissionRoutes, type WithheldPermissions } from './routes/permissions.js';
import { addCloudSearchRoutes } from './routes/search.js';
import { addTransitionRoutes } from './routes/transitions.js';
import { JiraState, type CreateIssueInput } from './state.js';
import type { StatusCategoryKey, TransitionScreens } from './workflow.js';

export interface JiraSimOptions {
  port?: number;
  /** Cloud (REST v3, ADF, token-paged search; the default) or Data Center (REST v2, plain text, offset paging). */
  deployment?: JiraDeployment;
  /** Cloud's accounts, signing in with Basic e-mail:API token. Default [{ email: 'bot@example.com', token: 'sim-token' }]. */
  users?: Array<{ email: string; token: string }>;
  /** Data Center's accounts, signing in with a personal access token (Bearer). Default [{ username: 'bot', pat: 'sim-pat' }]. */
  patUsers?: Array<{ username: string; pat: string }>;
  /** Default ['SCR']. */
  projects?: string[];
  /** Search answers from the issues as they were this long ago (eventual consistency); default 0. */
  searchLagMs?: number;
  now?: () => number;
  /** What the Completed/Failed transitions' screens hold; default 'full'. */
  transitionScreens?: TransitionScreens;
  /** 'bare': a new site with no custom fields and a workflow of Open, In Progress and Done; default 'full'. */
  mode?: JiraSimMode;
  /** Whether the accounts hold the Administer Jira global permission (setup's writes need it); default true. */
  admin?: boolean;
  /** Per project key, project permissions the signed-in account lacks (`/mypermissions`); default none: all granted. */
  withheldPermissions?: WithheldPermissions;
}

export interface JiraSim {
  url: string;
  server: SimServer;
  faults: FaultInjector;
  log: RequestLog;
  close(): Promise<void>;
  createIssue(input: CreateIssueInput): { key: string; id: string };
  /** Moves the issue as a person would, recording a changelog entry. Throws on an unknown status. */
  moveIssue(key: string, status: string): void;
  /** Sets a field as a person would; select options and ADF may be given as plain strings. */
  setField(key: string, fieldId: string, value: unknown): void;
  issue(key: string): SimIssue;
  comments(key: string): Array<{ id: string; body: unknown; text: string }>;
  /** Adds a transition to the workflow, as an admin does in the workflow editor; returns its id. */
  addTransition(name: string, from: readonly string[], to: string): string;
  /** Creates a status, as an admin does on Data Center's Statuses page (no REST API there). */
  addStatus(name: string, category: StatusCategoryKey): void;
  /** Adds options to a select field, as an admin does in its context's Edit options (Data Center has no REST API). */
  addOptions(fieldId: string, values: readonly string[]): void;
  /** The id of the field with this name, as Jira's field list shows it; undefined when there is none. */
  fieldId(name: string): string | undefined;
}

/** The default Data Center bot's personal access token. */
export const SIM_JIRA_PAT = 'sim-pat';

export type { CreateIssueInput } from './state.js';
export type { SimIssue } from './model.js';

/** Starts a simulated Jira on 127.0.0.1: Cloud (REST v3 subset) or, with `deployment: 'datacenter'`, Data Center (REST v2 subset). */
export async function startJiraSim(options: JiraSimOptions = {}): Promise<JiraSim> {
  const deployment = options.deployment ?? 'cloud';
  const signIn = deployment === 'cloud' ? basicSignIn(options.users) : patSignIn(options.patUsers);
  let api: RestApi = restApi(deployment, '');
  const state = new JiraState(options.projects ?? ['SCR'], options.now ?? Date.now, options.searchLagMs ?? 0, () => api.url, new JiraCatalog(options.mode ?? 'full'));
  const admin = options.admin ?? true;
  const context: JiraContext = {
    state,
    deployment,
    api: () => api,
    prefix: apiPrefix(deployment),
    screens: options.transitionScreens ?? 'full',
    userOf: (req) => signIn.userOf(req) ?? PERSON,
    isAdmin: () => admin,
  };
  const router = new Router();
  const search = deployment === 'cloud' ? addCloudSearchRoutes : addOffsetSearchRoutes;
  // Data Center has no paged changelog: an issue read embeds all of it.
  const changelog = deployment === 'cloud' ? [addChangelogRoutes] : [];
  for (const add of [addMetaRoutes, search, addIssueRoutes, addPropertyRoutes, addTransitionRoutes, addCommentRoutes, addAdminRoutes, addPermissionRoutes(options.withheldPermissions), ...changelog]) add(router, context);
  const faults = new FaultInjector();
  const log = new RequestLog();
  const server = await startSimServer({
    router,
    faults,
    log,
    ...(options.port === undefined ? {} : { port: options.port }),
    authenticate: (req): SimResponse | null => (signIn.userOf(req) || isAnonymousRead(req) ? null : signIn.refusal),
    errorBody: (_status, message) => ({ errorMessages: [message], errors: {} }),
  });
  api = restApi(deployment, server.url);

  const find = (key: string): SimIssue => {
    const issue = state.get(key);
    if (!issue) throw new Error(`No issue ${key} in the Jira simulator`);
    return issue;
  };
  return {
    url: server.url,
    server,
    faults,
    log,
    close: () => server.close(),
    createIssue: (input) => {
      const issue = state.create(input);
      return { key: issue.key, id: issue.id };
    },
    moveIssue: (key, status) => state.move(find(key), status, PERSON),
    setField: (key, fieldId, value) => state.change(find(key), { fields: { [fieldId]: personValue(state.catalog, fieldId, value, api) } }, PERSON),
    issue: (key) => structuredClone(find(key)),
    comments: (key) => find(key).comments.map((comment) => ({ id: comment.id, body: structuredClone(comment.body), text: adfToText(comment.body) })),
    addTransition: (name, from, to) => state.catalog.addTransition(name, from, to).id,
    addStatus: (name, category) => {
      if (state.catalog.status(name)) throw new Error(`Status '${name}' exists already`);
      state.catalog.addStatus(name, category);
    },
    addOptions: (fieldId, values) => {
      const field = state.catalog.field(fieldId);
      if (field?.kind !== 'select') throw new Error(`No select field ${fieldId} in the Jira simulator`);
      for (const value of values) state.catalog.addOption(field, value);
    },
    fieldId: (name) => state.catalog.fields.find((field) => field.name === name)?.id,
  };
}

/** Converts a convenient value (option text, plain text) to the stored form; anything else is stored as given. */
function personValue(catalog: JiraCatalog, fieldId: string, value: unknown, api: RestApi): unknown {
  const field = catalog.field(fieldId);
  if (!field || value === null) return value;
  if (field.kind === 'select' && typeof value === 'string') {
    const option = field.options?.find((candidate) => candidate.value === value);
    return { self: `${api.url}/customFieldOption/${option?.id ?? '99999'}`, value, id: option?.id ?? '99999' };
  }
  if (field.kind === 'textarea' && typeof value === 'string') return textToAdf(value);
  const written = writeFieldValue(field, value, api);
  return written.ok ? written.value : value;
}

/**
 * `/serverInfo` answers without credentials on both deployments (credentials that are given must be
 * valid); asked of the REST version this one lacks, the anonymous caller gets the 404.
 */
function isAnonymousRead(req: SimRequest): boolean {
  return req.headers.authorization === undefined && req.method === 'GET' && /^\/rest\/api\/[23]\/serverInfo$/.test(req.path);
}

interface SignIn {
  userOf(req: SimRequest): SimUser | null;
  refusal: SimResponse;
}

/** Jira Cloud: HTTP Basic with the account's e-mail and an API token. */
function basicSignIn(given: JiraSimOptions['users']): SignIn {
  const users = (given ?? [{ email: 'bot@example.com', token: 'sim-token' }]).map((user, index) => ({
    ...user,
    account: { accountId: `712020:sim-user-${index + 1}`, emailAddress: user.email, displayName: user.email.split('@')[0] ?? user.email } satisfies SimUser,
  }));
  return {
    userOf: (req) => {
      const match = /^Basic\s+(.+)$/i.exec(req.headers.authorization ?? '');
      const decoded = match ? Buffer.from(match[1] ?? '', 'base64').toString('utf8') : '';
      return users.find((user) => `${user.email}:${user.token}` === decoded)?.account ?? null;
    },
    refusal: { status: 401, body: { errorMessages: ['Client must be authenticated to access this resource.'], errors: {} }, headers: { 'www-authenticate': 'Basic realm="simulated-jira"' } },
  };
}

/** Jira Data Center: a personal access token as a Bearer token. */
function patSignIn(given: JiraSimOptions['patUsers']): SignIn {
  const users = (given ?? [{ username: 'bot', pat: SIM_JIRA_PAT }]).map((user, index) => ({
    ...user,
    account: { accountId: `JIRAUSER1000${index}`, emailAddress: `${user.username}@example.com`, displayName: user.username } satisfies SimUser,
  }));
  return {
    userOf: (req) => {
      const match = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
      return users.find((user) => user.pat === match?.[1]?.trim())?.account ?? null;
    },
    refusal: {
      status: 401,
      body: { errorMessages: ['You are not authenticated. Authentication required to perform this operation.'], errors: {} },
      headers: { 'www-authenticate': 'OAuth realm="simulated-jira"' },
    },
  };
}
