import type { Config } from '../config/schema.js';

/** Which Jira the reconciler talks to: Cloud speaks REST v3 with ADF, Data Center REST v2 with plain text. */
export type JiraFlavour = 'cloud' | 'datacenter';

/**
 * Read off the credentials, as the contract's settings allow no other switch: a personal access token
 * (bearer) exists only on Data Center, an e-mail with an API token only on Cloud. With neither,
 * Cloud, so a missing credential fails the same way it always has.
 */
export function jiraFlavour(config: Pick<Config, 'secrets'>): JiraFlavour {
  const { jiraUsername, jiraApiToken, jiraPat } = config.secrets;
  if (jiraUsername && jiraApiToken) return 'cloud';
  return jiraPat ? 'datacenter' : 'cloud';
}
