import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NotifyError } from '../../src/notify/notifier.js';
import { createSlackNotifier } from '../../src/notify/slack.js';
import { httpReceiver, notification, type HttpReceiver } from './helpers.js';

describe('the Slack notifier', () => {
  let receiver: HttpReceiver;
  beforeEach(async () => {
    receiver = await httpReceiver();
  });
  afterEach(() => receiver.close());

  const send = () => createSlackNotifier({ webhookUrl: receiver.url, timeoutMs: 5_000 }).send(notification(), 'slack:SCR-12:1:failed');

  it('posts the message once as JSON { text } to the webhook URL', async () => {
    await send();
    expect(receiver.posts).toHaveLength(1);
    const [post] = receiver.posts;
    expect(post!.url).toBe('/services/T000/B000/secret-token');
    expect(post!.headers['content-type']).toMatch(/^application\/json/);
    const body = JSON.parse(post!.body) as { text: string };
    expect(body.text).toContain('*<https://jira.example.com/browse/SCR-12|SCR-12>*');
    expect(body.text).toContain('|scraper_alfabeta run jira__SCR-12__1>');
  });

  it('treats a 4xx answer as permanent, with Slack’s reason', async () => {
    receiver.answers.push({ status: 404, body: 'no_service' });
    const error = await send().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotifyError);
    expect(error).toMatchObject({ permanent: true, message: 'The Slack webhook answered 404 no_service' });
  });

  it('treats 429 and 5xx as worth retrying', async () => {
    receiver.answers.push({ status: 429, body: 'rate_limited' }, { status: 503 });
    await expect(send()).rejects.toMatchObject({ permanent: false, message: expect.stringContaining('429') });
    await expect(send()).rejects.toMatchObject({ permanent: false, message: expect.stringContaining('503') });
    expect(receiver.posts).toHaveLength(2);
  });

  it('does not follow a redirect elsewhere', async () => {
    receiver.answers.push({ status: 302, headers: { Location: 'http://127.0.0.1:1/elsewhere' } });
    await expect(send()).rejects.toMatchObject({ message: expect.stringContaining('302') });
    expect(receiver.posts).toHaveLength(1);
  });

  it('says it could not reach the webhook, without the URL (its path is the secret)', async () => {
    await receiver.close();
    const error = (await send().catch((e: unknown) => e)) as NotifyError;
    expect(error).toMatchObject({ permanent: false });
    expect(error.message).toMatch(/could not be reached \(ECONNREFUSED\)/);
    expect(error.message).not.toContain('secret-token');
    receiver = await httpReceiver();
  });

  it('refuses plain http to a host that is not loopback, before sending', () => {
    expect(() => createSlackNotifier({ webhookUrl: 'http://hooks.example.com/services/x', timeoutMs: 1_000 })).toThrow(
      /plain http to hooks.example.com; use https:\/\//,
    );
  });
});
