import type { Config } from '../config/schema.js';
import { jiraFlavour } from '../jira/flavour.js';
import { fail, pass, type Check } from './checks.js';
import { jiraFailure } from './failures.js';
import type { JiraCheckDeps } from './jira-checks.js';
import type { ServerInfo } from './jira-schema.js';

export const DEPLOYMENT = 'jira deployment';

type Deployment = 'cloud' | 'datacenter';

const TO_CLOUD = 'on Jira Cloud set JIRA_USERNAME (the account e-mail) and JIRA_API_TOKEN, and unset JIRA_PAT; or point JIRA_BASE_URL at your Data Center site';
const TO_DATACENTER =
  'on Jira Data Center or Server create a personal access token (Profile > Personal Access Tokens), set JIRA_PAT to it and unset JIRA_USERNAME and JIRA_API_TOKEN; or point JIRA_BASE_URL at your Jira Cloud site';

/**
 * The credentials choose the dialect (JIRA_USERNAME + JIRA_API_TOKEN: Cloud, REST v3; JIRA_PAT: Data
 * Center, REST v2): `/serverInfo`'s `deploymentType` says whether the site is that Jira. The REST
 * version the credentials call for is asked first; when the site lacks it, the other one says what
 * the site is.
 */
export async function deploymentCheck(deps: JiraCheckDeps): Promise<Check> {
  const { config, reads, auth } = deps;
  const configured: Deployment = jiraFlavour(config);
  const [own, other] = configured === 'cloud' ? ([3, 2] as const) : ([2, 3] as const);
  try {
    const info = await reads.serverInfo(own);
    if (info) return judge(config, configured, info, own);
    const fallback = await reads.serverInfo(other);
    if (fallback) return judge(config, configured, fallback, other);
  } catch (error) {
    return jiraFailure(DEPLOYMENT, error, config, auth);
  }
  return fail(
    DEPLOYMENT,
    `${config.jira.baseUrl} answers neither /rest/api/3/serverInfo nor /rest/api/2/serverInfo (HTTP 404): it does not look like Jira`,
    'check JIRA_BASE_URL: the Jira root, with its context path if it has one (e.g. https://jira.example.com/jira)',
  );
}

function judge(config: Config, configured: Deployment, info: ServerInfo, version: 2 | 3): Check {
  const type = info.deploymentType ?? 'unknown';
  const actual: Deployment | null = /^cloud$/i.test(type) ? 'cloud' : /^(server|datacenter)$/i.test(type) ? 'datacenter' : null;
  const said = `/rest/api/${version}/serverInfo says deploymentType ${type}${info.version ? `, version ${info.version}` : ''}`;
  if (actual === null) {
    return pass(DEPLOYMENT, `${said}: not recognised, so the credentials' choice stands (${describe(configured)})`);
  }
  if (actual === configured) return pass(DEPLOYMENT, `${describe(actual)}: ${said}`);
  const credentials = configured === 'cloud' ? 'JIRA_USERNAME and JIRA_API_TOKEN are Jira Cloud credentials' : 'JIRA_PAT is a Jira Data Center credential';
  return fail(DEPLOYMENT, `${config.jira.baseUrl} is ${actual === 'cloud' ? 'Jira Cloud' : 'Jira Data Center or Server'} (${said}), but ${credentials}`, actual === 'cloud' ? TO_CLOUD : TO_DATACENTER);
}

function describe(deployment: Deployment): string {
  return deployment === 'cloud' ? 'Jira Cloud, REST v3 with JIRA_USERNAME and JIRA_API_TOKEN' : 'Jira Data Center, REST v2 with JIRA_PAT';
}
