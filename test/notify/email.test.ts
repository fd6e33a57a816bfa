import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEmailNotifier, messageIdFor } from '../../src/notify/email.js';
import type { Notifier } from '../../src/notify/notifier.js';
import { smtpTransportOptions } from '../../src/notify/smtp-url.js';
import { notification, smtpSink, SMTP_PASS, SMTP_USER, type SmtpSink } from './helpers.js';

const KEY = 'email:SCR-12:10001:failed';

describe('the e-mail notifier', () => {
  let sink: SmtpSink;
  let notifier: Notifier;
  beforeEach(async () => {
    sink = await smtpSink();
    notifier = createEmailNotifier({ smtpUrl: sink.url, from: 'reconciler@example.com', to: ['ops@example.com', 'lead@example.com'], timeoutMs: 5_000 });
  });
  afterEach(async () => {
    notifier.close();
    await sink.close();
  });

  it('sends one plain-text mail to every recipient, logged in, with the links', async () => {
    await notifier.send(notification(), KEY);
    expect(sink.mails).toHaveLength(1);
    const [mail] = sink.mails;
    expect(mail!.user).toBe(SMTP_USER);
    expect(mail!.from).toBe('reconciler@example.com');
    expect(mail!.to).toEqual(['ops@example.com', 'lead@example.com']);
    expect(mail!.header('subject')).toBe('SCR-12 failed: Scrape alfabeta prices');
    expect(mail!.text()).toContain('Ticket: https://jira.example.com/browse/SCR-12\n');
    expect(mail!.text()).toContain('Airflow: https://airflow.example.com/dags/scraper_alfabeta/grid?dag_run_id=jira__SCR-12__1');
  });

  it('gives a resend of one event the same Message-ID', async () => {
    await notifier.send(notification(), KEY);
    await notifier.send(notification(), KEY);
    await notifier.send(notification({ event: 'success' }), 'email:SCR-12:10001:success');
    const ids = sink.mails.map((mail) => mail.header('message-id'));
    expect(ids[0]).toBe(messageIdFor(KEY, 'reconciler@example.com'));
    expect(ids[1]).toBe(ids[0]);
    expect(ids[2]).not.toBe(ids[0]);
    expect(ids[0]).toMatch(/^<[0-9a-f]{32}@example\.com>$/);
  });

  it('treats a 5xx reply as permanent and a 4xx reply as worth retrying', async () => {
    sink.rejects.push({ code: 550, message: 'mailbox unavailable' }, { code: 451, message: 'try again later' });
    await expect(notifier.send(notification(), KEY)).rejects.toMatchObject({ permanent: true, message: expect.stringContaining('550') });
    await expect(notifier.send(notification(), KEY)).rejects.toMatchObject({ permanent: false, message: expect.stringContaining('451') });
    expect(sink.mails).toHaveLength(0);
  });

  it('treats refused credentials as permanent, without quoting the password', async () => {
    const wrong = createEmailNotifier({ smtpUrl: `smtp://${SMTP_USER}:wrong@127.0.0.1:${sink.port}`, from: 'r@example.com', to: ['o@example.com'], timeoutMs: 5_000 });
    try {
      const error = (await wrong.send(notification(), KEY).catch((e: unknown) => e)) as Error;
      expect(error).toMatchObject({ permanent: true, message: expect.stringContaining('EAUTH') });
      expect(error.message).not.toContain('wrong');
    } finally {
      wrong.close();
    }
  });

  it('treats a server that is not there as worth retrying', async () => {
    await sink.close();
    await expect(notifier.send(notification(), KEY)).rejects.toMatchObject({
      permanent: false,
      message: expect.stringMatching(/could not be reached .*ECONNREFUSED/),
    });
    sink = await smtpSink();
  });
});

describe('smtpTransportOptions', () => {
  it('requires STARTTLS on smtp:// to a host that is not loopback, on port 587 by default', () => {
    expect(smtpTransportOptions('smtp://u:p@mail.example.com', 1_000)).toMatchObject({ host: 'mail.example.com', port: 587, secure: false, requireTLS: true });
  });

  it('uses TLS from the start on smtps://, on port 465 by default', () => {
    expect(smtpTransportOptions('smtps://u:p@mail.example.com', 1_000)).toMatchObject({ port: 465, secure: true, requireTLS: false });
  });

  it('lets loopback go without STARTTLS, and decodes the credentials', () => {
    const options = smtpTransportOptions(`smtp://${SMTP_USER}:${encodeURIComponent(SMTP_PASS)}@127.0.0.1:2525`, 1_000);
    expect(options).toMatchObject({ host: '127.0.0.1', port: 2525, requireTLS: false, auth: { user: SMTP_USER, pass: SMTP_PASS } });
    expect(smtpTransportOptions('smtp://[::1]:25', 1_000)).toMatchObject({ host: '::1', requireTLS: false });
  });

  it('always verifies certificates and bounds every wait', () => {
    expect(smtpTransportOptions('smtps://mail.example.com', 7_000)).toMatchObject({
      tls: { rejectUnauthorized: true },
      connectionTimeout: 7_000,
      greetingTimeout: 7_000,
      socketTimeout: 7_000,
    });
  });

  it('refuses what is not a mail server URL, without quoting it', () => {
    expect(() => smtpTransportOptions('https://u:secret@mail.example.com', 1_000)).toThrow(/SMTP_URL uses https:, which is not a mail server URL/);
    expect(() => smtpTransportOptions('mail.example.com:587', 1_000)).toThrow(/which is not a mail server URL|not an absolute URL/);
    expect(() => smtpTransportOptions('not a url', 1_000)).toThrow(/SMTP_URL is not an absolute URL; use smtp:\/\//);
  });
});
