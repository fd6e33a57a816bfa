import { showValue } from './key-names.js';

/**
 * Why a base URL may not be used, or undefined when it may. `http:` would send credentials in clear
 * text, so it is allowed only to loopback (local simulators, SSH tunnels).
 */
export function baseUrlProblem(key: string, value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined; // the schema has already said it is not a URL
  }
  if (url.username !== '' || url.password !== '') {
    return `${key}: must not contain a user name or password; remove them and give credentials through the environment (JIRA_USERNAME, JIRA_API_TOKEN, JIRA_PAT, AIRFLOW_TOKEN, AIRFLOW_USER, AIRFLOW_PASS)`;
  }
  const api = /\/(api(\/v[12])?|rest\/api\/[23])\/?$/.exec(url.pathname);
  if (api) {
    return `${key}: ${showValue(value)} ends in ${api[0].replace(/\/$/, '')}; give the server root (the daemon adds the API path itself, by AIRFLOW_API_VERSION for Airflow)`;
  }
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:') {
    if (isLoopback(url.hostname)) return undefined;
    return `${key}: ${showValue(value)} uses plain http; use https:// (http is allowed only for localhost, 127.0.0.0/8 and [::1])`;
  }
  return `${key}: ${showValue(value)} uses ${url.protocol}, which is not supported; use https://`;
}

export function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/** `https://host/jira/` and `https://host/jira` name the same root; paths are joined onto it later. */
export function withoutTrailingSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
