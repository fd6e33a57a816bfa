import { isLoopback } from '../config/base-url.js';

/**
 * Why a webhook URL may not be used, or undefined. Never quotes the URL: its path is the secret.
 * http would send the message (and the URL's token) in clear text, so only loopback may use it.
 */
export function webhookUrlProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'SLACK_WEBHOOK_URL is not an absolute URL; give the incoming-webhook URL Slack shows (https://hooks.slack.com/services/...)';
  }
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && isLoopback(url.hostname)) return undefined;
  if (url.protocol === 'http:') {
    return `SLACK_WEBHOOK_URL uses plain http to ${url.hostname}; use https:// (http is allowed only for localhost, 127.0.0.0/8 and [::1])`;
  }
  return `SLACK_WEBHOOK_URL uses ${url.protocol}, which is not a webhook; use https://`;
}

/** `https://hooks.slack.com/services/T0/B0/secret` → `https://hooks.slack.com/…`: safe to print. */
export function webhookHost(value: string): string {
  try {
    const url = new URL(value);
    return `${url.protocol}//${url.host}/…`;
  } catch {
    return '(not a URL)';
  }
}
