import { createTransport } from 'nodemailer';
import { NOTIFY_TIMEOUT_MS } from '../notify/create-notifiers.js';
import type { NotifyConfig } from '../notify/notify-config.js';
import { smtpError } from '../notify/email.js';
import { smtpServerName, smtpTransportOptions } from '../notify/smtp-url.js';
import { webhookHost, webhookUrlProblem } from '../notify/webhook-url.js';
import { fail, pass, type Check } from './checks.js';

const SLACK = 'slack webhook';
const MAIL = 'mail server';

/**
 * The configured notification channels, checked without sending anything: the webhook URL's form
 * (a POST would post a message), and the mail server's connect, EHLO, STARTTLS and login (nodemailer's
 * verify). No check for a channel that is off.
 */
export async function notifyChecks(config: NotifyConfig, timeoutMs = NOTIFY_TIMEOUT_MS): Promise<Check[]> {
  const checks: Check[] = [];
  if (config.notifications.slack) checks.push(slackCheck(config.secrets.slackWebhookUrl));
  if (config.notifications.email) checks.push(await mailCheck(config.secrets.smtpUrl, timeoutMs));
  return checks;
}

function slackCheck(url: string | undefined): Check {
  if (!url) return fail(SLACK, 'notifications.slack is on but SLACK_WEBHOOK_URL is not set', 'set SLACK_WEBHOOK_URL (or SLACK_WEBHOOK_URL_FILE) to the incoming-webhook URL Slack shows');
  const problem = webhookUrlProblem(url);
  if (problem) return fail(SLACK, problem, 'set SLACK_WEBHOOK_URL to the https:// URL of the Slack incoming webhook');
  return pass(SLACK, `${webhookHost(url)}: well-formed; not contacted (a request would post a message)`);
}

async function mailCheck(url: string | undefined, timeoutMs: number): Promise<Check> {
  if (!url) return fail(MAIL, 'notifications.email is on but SMTP_URL is not set', 'set SMTP_URL (or SMTP_URL_FILE), e.g. smtp://user:pass@mail.example.com:587');
  let options;
  try {
    options = smtpTransportOptions(url, timeoutMs);
  } catch (error) {
    return fail(MAIL, (error as Error).message, 'fix SMTP_URL');
  }
  const server = smtpServerName(url);
  const steps = options.secure ? 'TLS' : options.requireTLS ? 'STARTTLS' : 'no TLS (loopback)';
  const transport = createTransport(options);
  try {
    await transport.verify();
    const login = options.auth ? `logged in as ${options.auth.user}` : 'no login';
    return pass(MAIL, `${server}: connected, ${steps}, ${login}; nothing sent`);
  } catch (error) {
    return fail(MAIL, `${server}: ${smtpError(error).message}`, mailHint(error));
  } finally {
    transport.close();
  }
}

function mailHint(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : '';
  if (code === 'EAUTH') return 'check the user name and password in SMTP_URL (URL-encode special characters)';
  if (/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ETIMEDOUT/.test(message)) {
    return 'check the host and port in SMTP_URL and that this host can reach it (DNS, firewall)';
  }
  if (code === 'ETLS' || code === 'ESOCKET') {
    return 'the server must offer STARTTLS with a valid certificate on smtp://, or TLS on smtps:// (port 465); check the scheme and port';
  }
  if (code === 'ECONNECTION' || code === 'ETIMEDOUT' || code === 'EDNS') return 'check the host and port in SMTP_URL and that this host can reach it (DNS, firewall)';
  return 'check SMTP_URL and the mail server';
}
