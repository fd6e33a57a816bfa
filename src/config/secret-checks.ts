import { isLoopback } from './base-url.js';
import type { FileConfig, Secrets } from './schema.js';

/**
 * Settings that need a secret to work: a notification channel without its URL, or a URL of the
 * wrong kind. Messages name the variable, never its value (webhook URLs carry their token).
 */
export function secretUseProblems(config: FileConfig, secrets: Secrets): string[] {
  const problems: string[] = [];
  if (config.notifications.slack !== undefined && secrets.slackWebhookUrl === undefined) {
    problems.push(missing('notifications.slack', 'SLACK_WEBHOOK_URL', 'the Slack incoming-webhook URL, e.g. https://hooks.slack.com/services/...'));
  }
  if (secrets.slackWebhookUrl !== undefined) problems.push(...webhookProblems(secrets.slackWebhookUrl));
  if (config.notifications.email !== undefined && secrets.smtpUrl === undefined) {
    problems.push(missing('notifications.email', 'SMTP_URL', 'the mail server, e.g. smtp://user:pass@mail.example.com:587 or smtps://user:pass@mail.example.com'));
  }
  if (secrets.smtpUrl !== undefined) problems.push(...smtpProblems(secrets.smtpUrl));
  return problems;
}

function missing(key: string, variable: string, what: string): string {
  return (
    `${key}: needs ${variable}; set ${variable} (or ${variable}_FILE, or a systemd LoadCredential= named ` +
    `${variable.toLowerCase()}) to ${what}, or remove ${key}`
  );
}

function webhookProblems(value: string): string[] {
  const url = parse(value);
  if (url === undefined) return ['SLACK_WEBHOOK_URL: not an absolute URL; give the incoming-webhook URL Slack shows, https://hooks.slack.com/services/...'];
  if (url.protocol === 'https:') return [];
  if (url.protocol === 'http:' && isLoopback(url.hostname)) return [];
  return [`SLACK_WEBHOOK_URL: uses ${url.protocol} to ${url.hostname}; use https:// (http is allowed only for localhost, 127.0.0.0/8 and [::1])`];
}

function smtpProblems(value: string): string[] {
  const url = parse(value);
  const form = 'use smtp://user:pass@host:port (STARTTLS) or smtps://user:pass@host:port';
  if (url === undefined || url.hostname === '') return [`SMTP_URL: not an absolute URL; ${form}`];
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') return [`SMTP_URL: uses ${url.protocol}, which is not a mail server URL; ${form}`];
  return [];
}

function parse(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}
