import type { Config as JiraClientConfig } from 'jira.js';
import type { Config } from '../config/schema.js';
import { type GateDeps, observedAdapter } from '../http/observed-adapter.js';
import { userAgent } from '../http/user-agent.js';
import type { UpstreamObserver } from '../observability/upstream-observer.js';

export type JiraAuth = 'basic' | 'bearer' | 'none';

/**
 * The jira.js client settings, for either REST version: every exchange measured by the observer and
 * bounded by the configured timeout.
 */
export function jiraClientConfig(
  config: Config,
  observer: UpstreamObserver,
  gated?: GateDeps,
): { clientConfig: JiraClientConfig; auth: JiraAuth } {
  const base = {
    host: config.jira.baseUrl,
    baseRequestConfig: { timeout: config.http.timeoutMs, adapter: observedAdapter('jira', observer, gated), headers: { 'User-Agent': userAgent() } },
  };
  const { jiraUsername, jiraApiToken, jiraPat } = config.secrets;
  if (jiraUsername && jiraApiToken) {
    return { clientConfig: { ...base, authentication: { basic: { email: jiraUsername, apiToken: jiraApiToken } } }, auth: 'basic' };
  }
  if (jiraPat) {
    // A Data Center personal access token is a bearer token; jira.js sends it as OAuth 2.0 without refresh.
    return { clientConfig: { ...base, authentication: { oauth2: { accessToken: jiraPat } } }, auth: 'bearer' };
  }
  return { clientConfig: base, auth: 'none' };
}
