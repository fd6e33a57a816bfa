import { Version3Client, type Config as JiraClientConfig } from 'jira.js';
import type { Config } from '../config/schema.js';
import { observedAdapter } from '../http/observed-adapter.js';
import type { UpstreamObserver } from '../observability/upstream-observer.js';

export type JiraAuth = 'basic' | 'bearer' | 'none';

/** The jira.js client, with every exchange measured by the observer and bounded by the configured timeout. */
export function createJiraClient(config: Config, observer: UpstreamObserver): { client: Version3Client; auth: JiraAuth } {
  const base = {
    host: config.jira.baseUrl,
    baseRequestConfig: { timeout: config.http.timeoutMs, adapter: observedAdapter('jira', observer) },
  };
  const { jiraUsername, jiraApiToken, jiraPat } = config.secrets;
  if (jiraUsername && jiraApiToken) {
    const basic: JiraClientConfig = { ...base, authentication: { basic: { email: jiraUsername, apiToken: jiraApiToken } } };
    return { client: new Version3Client(basic), auth: 'basic' };
  }
  if (jiraPat) {
    // A Data Center personal access token is a bearer token; jira.js sends it as OAuth 2.0 without refresh.
    const bearer: JiraClientConfig = { ...base, authentication: { oauth2: { accessToken: jiraPat } } };
    return { client: new Version3Client(bearer), auth: 'bearer' };
  }
  return { client: new Version3Client(base), auth: 'none' };
}
