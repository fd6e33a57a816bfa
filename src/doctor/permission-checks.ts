import { type Config as JiraClientConfig, Version2Client, Version3Client } from 'jira.js';
import type { Config } from '../config/schema.js';
import type { JiraAuth } from '../jira/client.js';
import { jiraFlavour } from '../jira/flavour.js';
import type { JiraCall } from '../jira/jira-call.js';
import { missingPermissions, REQUIRED_PERMISSIONS, type PermissionsClient, type ProjectPermission } from '../jira/permissions.js';
import { fail, pass, skipped, type Check } from './checks.js';
import { jiraFailure } from './failures.js';

export interface PermissionCheckDeps {
  config: Config;
  auth: JiraAuth;
  client: PermissionsClient;
  call: JiraCall;
}

export function permissionCheckName(project: string): string {
  return `jira permissions ${project}`;
}

/** Cloud's `/rest/api/3/mypermissions`, or Data Center's `/rest/api/2/mypermissions`, as the daemon's own flavour. */
export function permissionsClient(config: Config, clientConfig: JiraClientConfig): PermissionsClient {
  return jiraFlavour(config) === 'datacenter' ? new Version2Client(clientConfig) : new Version3Client(clientConfig);
}

/**
 * The Jira checks, with one line per project after the project lines: the token's own permissions there.
 * Asked only once sign-in passed and the project was found, so a bad token or key fails once, not twice.
 */
export async function withPermissionChecks(jira: readonly Check[], deps: PermissionCheckDeps): Promise<Check[]> {
  const signedIn = jira.find((check) => check.name === 'jira credentials')?.ok === true;
  const lines: Check[] = [];
  for (const project of deps.config.jira.projects) {
    const name = permissionCheckName(project);
    const projectCheck = `jira project ${project}`;
    if (!signedIn) lines.push(skipped(name, 'Jira credentials', 'jira credentials'));
    else if (jira.find((check) => check.name === projectCheck)?.ok !== true) lines.push(skipped(name, `the project ${project}`, projectCheck));
    else lines.push(await permissionCheck(deps, project));
  }
  const after = jira.findLastIndex((check) => check.name.startsWith('jira project '));
  const at = after === -1 ? jira.length : after + 1;
  return [...jira.slice(0, at), ...lines, ...jira.slice(at)];
}

async function permissionCheck(deps: PermissionCheckDeps, project: string): Promise<Check> {
  const name = permissionCheckName(project);
  let missing: ProjectPermission[];
  try {
    missing = await missingPermissions(deps, project);
  } catch (error) {
    return jiraFailure(name, error, deps.config, deps.auth, {
      not_found: `Jira hides project ${project} from this account: a Jira admin must grant it Browse Projects in ${project}`,
    });
  }
  const all = Object.values(REQUIRED_PERMISSIONS).map((permission) => permission.name);
  if (missing.length === 0) return pass(name, `${account(deps)} has ${all.join(', ')}`);
  const names = missing.map((key) => REQUIRED_PERMISSIONS[key].name);
  const uses = missing.map((key) => `${REQUIRED_PERMISSIONS[key].name} to ${REQUIRED_PERMISSIONS[key].why}`);
  return fail(
    name,
    `${account(deps)} lacks ${names.join(', ')} in ${project} (needs ${uses.join('; ')})`,
    `a Jira admin must grant ${account(deps)} ${names.join(', ')} in project ${project}: Project settings > Permissions ` +
      '(the permission scheme), to a project role or group the account is in',
  );
}

function account({ config, auth }: PermissionCheckDeps): string {
  if (auth === 'basic' && config.secrets.jiraUsername) return `the account ${config.secrets.jiraUsername}`;
  if (auth === 'bearer') return "the personal access token's account";
  return 'the account';
}
