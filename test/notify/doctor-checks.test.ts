import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { notifyChecks } from '../../src/doctor/notify-checks.js';
import type { NotifyConfig } from '../../src/notify/notify-config.js';
import { httpReceiver, smtpSink, SMTP_USER, type HttpReceiver, type SmtpSink } from './helpers.js';

function config(secrets: NotifyConfig['secrets'], channels: Array<'slack' | 'email'> = ['slack', 'email']): NotifyConfig {
  return {
    jira: { baseUrl: 'https://jira.example.com' },
    notifications: {
      ...(channels.includes('slack') ? { slack: { on: ['failed'] } } : {}),
      ...(channels.includes('email') ? { email: { on: ['failed'], to: ['ops@example.com'], from: 'r@example.com' } } : {}),
    },
    secrets,
  };
}

describe('notifyChecks', () => {
  let sink: SmtpSink;
  let receiver: HttpReceiver;
  beforeEach(async () => {
    sink = await smtpSink();
    receiver = await httpReceiver();
  });
  afterEach(async () => {
    await sink.close();
    await receiver.close();
  });

  it('passes a reachable mail server with good credentials and a well-formed webhook, sending nothing', async () => {
    const checks = await notifyChecks(config({ slackWebhookUrl: receiver.url, smtpUrl: sink.url }), 5_000);
    expect(checks.map((check) => [check.name, check.ok])).toEqual([
      ['slack webhook', true],
      ['mail server', true],
    ]);
    expect(checks[0]!.detail).toBe(`${new URL(receiver.url).origin}/…: well-formed; not contacted (a request would post a message)`);
    expect(checks[1]!.detail).toBe(`smtp://127.0.0.1:${sink.port}: connected, no TLS (loopback), logged in as ${SMTP_USER}; nothing sent`);
    expect(receiver.posts).toEqual([]);
    expect(sink.mails).toEqual([]);
  });

  it('fails refused credentials with what to fix, without the password', async () => {
    const [check] = await notifyChecks(config({ smtpUrl: `smtp://${SMTP_USER}:hunter22@127.0.0.1:${sink.port}` }, ['email']), 5_000);
    expect(check).toMatchObject({ name: 'mail server', ok: false, hint: expect.stringContaining('user name and password') });
    expect(check!.detail).toMatch(/EAUTH/);
    expect(JSON.stringify(check)).not.toContain('hunter22');
  });

  it('fails a mail server that is not there, pointing at host and port', async () => {
    await sink.close();
    const [check] = await notifyChecks(config({ smtpUrl: sink.url }, ['email']), 5_000);
    expect(check).toMatchObject({ ok: false, hint: expect.stringContaining('host and port') });
    expect(check!.detail).toMatch(/ECONNREFUSED/);
    sink = await smtpSink();
  });

  it('fails a webhook on plain http to another host, or a missing secret, without quoting the URL', async () => {
    const [http] = await notifyChecks(config({ slackWebhookUrl: 'http://hooks.example.com/services/T/B/tok3n' }, ['slack']));
    expect(http).toMatchObject({ ok: false, detail: expect.stringContaining('plain http to hooks.example.com') });
    expect(JSON.stringify(http)).not.toContain('tok3n');
    const [missing] = await notifyChecks(config({}, ['slack', 'email']));
    expect(missing).toMatchObject({ ok: false, detail: 'notifications.slack is on but SLACK_WEBHOOK_URL is not set' });
  });

  it('checks nothing when notifications are off', async () => {
    expect(await notifyChecks(config({ slackWebhookUrl: receiver.url, smtpUrl: sink.url }, []))).toEqual([]);
  });
});
