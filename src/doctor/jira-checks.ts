import type { Config } from '../config/schema.js';
import type { JiraAuth } from '../jira/client.js';
import { fail, pass, skipped, type Check } from './checks.js';
import { DEPLOYMENT, deploymentCheck } from './deployment-check.js';
import { jiraFailure } from './failures.js';
import { checkScopes, scopedName, settingName, type CheckScope } from './check-scope.js';
import { fieldCheckNames, fieldChecks } from './field-checks.js';
import type { JiraReads } from './jira-reads.js';
import { type Blocker, transitionCheckNames, transitionChecks } from './transition-checks.js';

export interface JiraCheckDeps {
  config: Config;
  reads: JiraReads;
  auth: JiraAuth;
  now: Date;
}

const AUTH = 'jira credentials';
const STATUSES = 'jira statuses';

/** Jira, in order; when sign-in fails, every later Jira check is listed as skipped rather than thrown. */
export async function jiraChecks(deps: JiraCheckDeps): Promise<Check[]> {
  const { config } = deps;
  const scopes = checkScopes(config);
  const deployment = await deploymentCheck(deps);
  if (!deployment.ok) return [deployment, ...[AUTH, ...dependentNames(config, scopes)].map((name) => skipped(name, 'the Jira deployment the credentials are for', DEPLOYMENT))];
  const signIn = await credentialsCheck(deps);
  if (!signIn.ok) return [deployment, signIn, ...dependentNames(config, scopes).map((name) => skipped(name, 'Jira credentials', AUTH))];

  const projects: Check[] = [];
  for (const key of config.jira.projects) projects.push(await projectCheck(deps, key));
  const fields = await fieldChecks(deps, scopes);
  const statuses = await statusesChecks(deps, scopes);
  const transitions: Check[] = [];
  for (const [index, scope] of scopes.entries()) {
    transitions.push(...(await transitionChecks(deps, scope, transitionBlocker(scope, projects, statuses[index] ?? null, statuses[0] ?? null))));
  }
  return [deployment, signIn, ...projects, ...fields, ...statuses.flatMap((status) => (status ? [status.check] : [])), ...transitions];
}
async function credentialsCheck({ config, reads, auth }: JiraCheckDeps): Promise<Check> {
  try {
    const me = await reads.myself();
    const who = [me.displayName, me.emailAddress && `<${me.emailAddress}>`].filter(Boolean).join(' ') || me.accountId || me.name || 'an unnamed account';
    const how = auth === 'basic' ? 'API token' : auth === 'bearer' ? 'personal access token, Data Center REST v2' : 'no credentials';
    return pass(AUTH, `signed in to ${config.jira.baseUrl} as ${who} (${how})`);
  } catch (error) {
    return jiraFailure(AUTH, error, config, auth);
  }
}

async function projectCheck({ config, reads, auth }: JiraCheckDeps, key: string): Promise<Check> {
  const name = `jira project ${key}`;
  try {
    const project = await reads.project(key);
    return pass(name, project.name ? `${project.key}: ${project.name}` : project.key);
  } catch (error) {
    return jiraFailure(name, error, config, auth, {
      not_found: `check JIRA_PROJECTS (jira.projects in the config file) and that the Jira account may browse project ${key}`,
    });
  }
}

interface StatusesResult {
  check: Check;
  /** The configured status names Jira does not have; empty also when the list could not be read. */
  missing: string[];
  /** Whether the status list was read. */
  read: boolean;
}

/** One line per scope that names statuses (the top level, then each project's own), from one read of the list. */
async function statusesChecks(deps: JiraCheckDeps, scopes: readonly CheckScope[]): Promise<Array<StatusesResult | null>> {
  let known: Set<string> | null = null;
  let failure: unknown;
  try {
    known = new Set((await deps.reads.statusNames()).map((status) => status.toLowerCase()));
  } catch (error) {
    failure = error;
  }
  return scopes.map((scope) => {
    if (scope.statusRoles.length === 0) return null;
    const name = scopedName(STATUSES, scope);
    if (known === null) return { check: jiraFailure(name, failure, deps.config, deps.auth), missing: [], read: false };
    return { ...statusesCheck(scope, name, known), read: true };
  });
}

function statusesCheck(scope: CheckScope, name: string, known: ReadonlySet<string>): { check: Check; missing: string[] } {
  // Optional statuses (e.g. a running status) that are not configured have nothing to check.
  const wanted = scope.statusRoles.map((role): [string, string] => [role, scope.statuses[role] ?? '']);
  const missing = wanted.filter(([, status]) => !known.has(status.toLowerCase()));
  if (missing.length === 0) return { check: pass(name, wanted.map(([, status]) => status).join(', ')), missing: [] };
  const detail = `Jira has no status ${missing.map(([, status]) => `'${status}'`).join(', ')}`;
  const keys = missing.map(([key]) => settingName(`statuses.${key}`, scope)).join(', ');
  const whose = scope.project === null ? "the projects' workflow" : `the workflow of ${scope.project}`;
  return {
    check: fail(name, detail, `add the status to ${whose}, or set ${keys} in the config file to the name the workflow uses`),
    missing: missing.map(([, status]) => status),
  };
}

/**
 * The JQL that finds a sample ticket fails on an unknown project or status: say which to fix first. A
 * project's own ready status is checked on its own line; an inherited one on the top-level line.
 */
function transitionBlocker(scope: CheckScope, projects: readonly Check[], own: StatusesResult | null, top: StatusesResult | null): Blocker | null {
  const badProject = projects.find((check) => !check.ok && scope.projects.some((key) => check.name === `jira project ${key}`));
  if (badProject) return { needs: scope.project === null ? 'every configured project' : `the project ${scope.project}`, check: badProject.name };
  const { ready } = scope.statuses;
  const statuses = own && scope.statusRoles.includes('ready') ? own : top;
  if (!statuses) return null;
  if (!statuses.read) return { needs: 'the status list', check: statuses.check.name };
  if (statuses.missing.includes(ready)) return { needs: `the status ${ready}`, check: statuses.check.name };
  return null;
}

function dependentNames(config: Config, scopes: readonly CheckScope[]): string[] {
  return [
    ...config.jira.projects.map((key) => `jira project ${key}`),
    ...fieldCheckNames(scopes),
    ...scopes.filter((scope) => scope.statusRoles.length > 0).map((scope) => scopedName(STATUSES, scope)),
    ...scopes.flatMap(transitionCheckNames),
  ];
}
