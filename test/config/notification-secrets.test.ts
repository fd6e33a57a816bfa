import { describe, expect, it } from 'vitest';
import { readConfig } from '../../src/config/read-config.js';
import { MINIMAL_ENV, filesystem, problemsOf, yamlFile } from './helpers.js';

const SLACK = yamlFile('notifications:\n  slack: { on: [failed] }\n');
const HOOK = 'https://hooks.slack.com/services/T0/B0/token-abc';

describe('SLACK_WEBHOOK_URL and SMTP_URL', () => {
  it('come from the variable, X_FILE or $CREDENTIALS_DIRECTORY like every secret', () => {
    expect(readConfig({ ...MINIMAL_ENV, SLACK_WEBHOOK_URL: HOOK }, SLACK).secrets.slackWebhookUrl).toBe(HOOK);
    const fromFile = readConfig({ ...MINIMAL_ENV, SLACK_WEBHOOK_URL_FILE: '/s/hook' }, SLACK, filesystem({ '/s/hook': `${HOOK}\n` }));
    expect(fromFile.secrets.slackWebhookUrl).toBe(HOOK);
    const creds = filesystem({ '/creds/slack_webhook_url': HOOK, '/creds/smtp_url': 'smtps://u:p@mail.acme.io' });
    const fromSystemd = readConfig({ ...MINIMAL_ENV, CREDENTIALS_DIRECTORY: '/creds' }, SLACK, creds);
    expect(fromSystemd.secrets).toMatchObject({ slackWebhookUrl: HOOK, smtpUrl: 'smtps://u:p@mail.acme.io' });
  });

  it('are never read from the config file', () => {
    expect(problemsOf(() => readConfig({ ...MINIMAL_ENV, SLACK_WEBHOOK_URL: HOOK }, yamlFile(`notifications:\n  slack: { on: [failed], webhookUrl: ${HOOK} }\n`)))).toEqual([
      'notifications.slack.webhookUrl: unknown key; secrets are never read from the config file; set SLACK_WEBHOOK_URL in the environment, ' +
        'or SLACK_WEBHOOK_URL_FILE, or a systemd LoadCredential= named slack_webhook_url',
    ]);
  });

  it('a secret set without its channel is harmless', () => {
    expect(readConfig({ ...MINIMAL_ENV, SLACK_WEBHOOK_URL: HOOK }, null).notifications).toEqual({});
  });
});
