import type { Config } from '../config/schema.js';
import type { JiraAuth } from '../jira/client.js';
import { fail, pass, skipped, type Check } from './checks.js';
import { DEPLOYMENT, deploymentCheck } from './deployment-check.js';
import { jiraFailure } from './failures.js';
import { fieldCheckName, fieldChecks, FIELD_ROLES } from './field-checks.js';
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
  const deployment = await deploymentCheck(deps);
  if (!deployment.ok) return [deployment, ...[AUTH, ...dependentNames(config)].map((name) => skipped(name, 'the Jira deployment the credentials are for', DEPLOYMENT))];
  const signIn = await credentialsCheck(deps);
  if (!signIn.ok) return [deployment, signIn, ...dependentNames(config).map((name) => skipped(name, 'Jira credentials', AUTH))];

  const projects: Check[] = [];
  for (const key of config.jira.projects) projects.push(await projectCheck(deps, key));
  const fields = await fieldChecks(deps);
  const statuses = await statusesCheck(deps);
  const transitions = await transitionChecks(deps, transitionBlocker(config, projects, statuses));
  return [deployment, signIn, ...projects, ...fields, statuses.check, ...transitions];
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

async function statusesCheck({ config, reads, auth }: JiraCheckDeps): Promise<{ check: Check; missing: string[] }> {
  const name = STATUSES;
  // Optional statuses (e.g. a running status) that are not configured have nothing to check.
  const wanted = Object.entries(config.jira.statuses).filter((entry): entry is [string, string] => typeof entry[1] === 'string');
  let known: Set<string>;
  try {
    known = new Set((await reads.statusNames()).map((status) => status.toLowerCase()));
  } catch (error) {
    return { check: jiraFailure(name, error, config, auth), missing: [] };
  }
  const missing = wanted.filter(([, status]) => !known.has(status.toLowerCase()));
  if (missing.length === 0) return { check: pass(name, wanted.map(([, status]) => status).join(', ')), missing: [] };
  const detail = `Jira has no status ${missing.map(([, status]) => `'${status}'`).join(', ')}`;
  const keys = missing.map(([key]) => `jira.statuses.${key}`).join(', ');
  return {
    check: fail(name, detail, `add the status to the projects' workflow, or set ${keys} in the config file to the name your workflow uses`),
    missing: missing.map(([, status]) => status),
  };
}

/** The JQL that finds a sample ticket fails on an unknown project or status: say which to fix first. */
function transitionBlocker(config: Config, projects: readonly Check[], statuses: { check: Check; missing: string[] }): Blocker | null {
  const badProject = projects.find((check) => !check.ok);
  if (badProject) return { needs: 'every configured project', check: badProject.name };
  const { ready } = config.jira.statuses;
  if (!statuses.check.ok && statuses.missing.length === 0) return { needs: 'the status list', check: statuses.check.name };
  if (statuses.missing.includes(ready)) return { needs: `the status ${ready}`, check: statuses.check.name };
  return null;
}

function dependentNames(config: Config): string[] {
  return [
    ...config.jira.projects.map((key) => `jira project ${key}`),
    ...FIELD_ROLES.map(fieldCheckName),
    STATUSES,
    ...transitionCheckNames(config),
  ];
}
