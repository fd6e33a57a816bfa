import type { Config } from '../config/schema.js';
import { toUpstreamError } from '../http/classify.js';
import type { Upstream } from '../http/errors.js';
import type { JiraAuth } from '../jira/client.js';
import { fail, type Check } from './checks.js';

/** Hints for the answers a caller can explain better than the generic ones (e.g. a 404 on a project). */
export type HintOverrides = Partial<Record<'not_found' | 'forbidden', string>>;

/** Turns a failed Jira read into a FAIL line whose hint names the setting to look at. */
export function jiraFailure(name: string, error: unknown, config: Config, auth: JiraAuth, overrides: HintOverrides = {}): Check {
  return upstreamFailure(name, error, overrides, {
    upstream: 'jira',
    label: 'Jira',
    baseSetting: `JIRA_BASE_URL (now ${config.jira.baseUrl})`,
    credentialsHint: jiraCredentialsHint(auth),
    forbiddenHint: 'give the Jira account the permission this read needs, or check that the credentials are the bot account\'s',
  });
}

export function jiraCredentialsHint(auth: JiraAuth): string {
  switch (auth) {
    case 'none':
      return 'set JIRA_USERNAME and JIRA_API_TOKEN (Jira Cloud) or JIRA_PAT (Jira Data Center)';
    case 'basic':
      return 'Jira refused JIRA_USERNAME/JIRA_API_TOKEN: check the account e-mail and that the API token is current (create one at https://id.atlassian.com/manage-profile/security/api-tokens)';
    case 'bearer':
      return 'Jira refused JIRA_PAT: check that the personal access token is current and not revoked';
  }
}

/** Turns a failed Airflow call into a FAIL line. */
export function airflowFailure(name: string, error: unknown, config: Config, overrides: HintOverrides = {}): Check {
  return upstreamFailure(name, error, overrides, {
    upstream: 'airflow',
    label: 'Airflow',
    baseSetting: `AIRFLOW_BASE_URL (now ${config.airflow.baseUrl})`,
    credentialsHint: airflowCredentialsHint(config),
    forbiddenHint: 'give the Airflow user a role that may read and trigger these DAGs (e.g. Op or User)',
  });
}

export function airflowCredentialsHint(config: Config): string {
  const { airflowToken, airflowUser, airflowPass } = config.secrets;
  if (airflowToken) return 'Airflow refused AIRFLOW_TOKEN: check that the token is current';
  if (!airflowUser || !airflowPass) return 'set AIRFLOW_TOKEN, or AIRFLOW_USER and AIRFLOW_PASS';
  return config.airflow.apiVersion === 'v1'
    ? 'Airflow refused AIRFLOW_USER/AIRFLOW_PASS: check them, and that Airflow allows basic auth (auth_backends includes airflow.api.auth.backend.basic_auth)'
    : 'Airflow refused AIRFLOW_USER/AIRFLOW_PASS at POST /auth/token: check them, or set AIRFLOW_TOKEN';
}

/** The hints one upstream gives for a refused login and a refused permission, and the setting its URL comes from. */
interface UpstreamHints {
  upstream: Upstream;
  label: string;
  baseSetting: string;
  credentialsHint: string;
  forbiddenHint: string;
}

function upstreamFailure(name: string, error: unknown, overrides: HintOverrides, hints: UpstreamHints): Check {
  const typed = toUpstreamError(hints.upstream, error);
  if (typed.status === 401) return fail(name, typed.message, hints.credentialsHint);
  if (typed.status === 403) return fail(name, typed.message, overrides.forbidden ?? hints.forbiddenHint);
  return fail(name, typed.message, genericHint(typed.kind, hints.baseSetting, hints.label, overrides.not_found));
}

function genericHint(kind: string, base: string, upstream: string, notFound: string | undefined): string {
  switch (kind) {
    case 'transient':
      return `check ${base} and that this host can reach it (DNS, proxy, firewall)`;
    case 'rate_limited':
      return `${upstream} is rate limiting this account; wait a minute and run doctor again`;
    case 'bad_response':
      return `check that ${base} is the ${upstream} server's root URL`;
    case 'not_found':
      return notFound ?? `check ${base}`;
    default:
      return 'run doctor again with LOG_LEVEL=debug to see the request and the answer';
  }
}
