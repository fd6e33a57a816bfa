import { describe, expect, expectTypeOf, it } from 'vitest';
import type { Config, NotifyEvent as ConfigNotifyEvent } from '../../src/config/schema.js';
import type { NotifyConfig, NotifyEvent } from '../../src/notify/notify-config.js';
import { channelsFor, eventKey, notificationRows, projectOf, ticketUrl } from '../../src/notify/routing.js';

function config(overrides: Partial<NotifyConfig['notifications']> = {}, secrets: NotifyConfig['secrets'] = {}): NotifyConfig {
  return {
    jira: { baseUrl: 'https://jira.example.com/' },
    notifications: {
      slack: { on: ['failed', 'retry'] },
      email: { on: ['success', 'failed'], to: ['ops@example.com'], from: 'reconciler@example.com', sources: ['quebec'], projects: ['OPS'] },
      ...overrides,
    },
    secrets: { slackWebhookUrl: 'https://hooks.slack.com/services/x', smtpUrl: 'smtps://u:p@mail.example.com', ...secrets },
  };
}

describe('channelsFor', () => {
  it('picks the channels whose events, sources and projects let the event through', () => {
    expect(channelsFor(config(), 'failed', 'SCR-1', 'alfabeta')).toEqual(['slack']);
    expect(channelsFor(config(), 'failed', 'OPS-1', 'quebec')).toEqual(['slack', 'email']);
    expect(channelsFor(config(), 'success', 'OPS-1', 'quebec')).toEqual(['email']);
    expect(channelsFor(config(), 'success', 'OPS-1', 'alfabeta')).toEqual([]);
    expect(channelsFor(config(), 'cancelled', 'OPS-1', 'quebec')).toEqual([]);
  });

  it('lets no event through a source filter when the ticket has no source', () => {
    expect(channelsFor(config(), 'failed', 'OPS-1', undefined)).toEqual(['slack']);
  });

  it('skips a channel whose secret is missing or that is not configured', () => {
    expect(channelsFor(config({}, { slackWebhookUrl: '' }), 'failed', 'OPS-1', 'quebec')).toEqual(['email']);
    expect(channelsFor(config({ slack: undefined, email: undefined }), 'failed', 'OPS-1', 'quebec')).toEqual([]);
  });
});

describe('notificationRows', () => {
  it('builds one row per channel with the ticket link, keyed by channel, ticket, request and event', () => {
    const rows = notificationRows(config(), { event: 'failed', issueKey: 'OPS-7', requestId: '10042', source: 'quebec', detail: 'boom' });
    expect(rows.map((row) => row.eventKey)).toEqual(['slack:OPS-7:10042:failed', 'email:OPS-7:10042:failed']);
    expect(rows[0]!.payload).toEqual({ event: 'failed', issueKey: 'OPS-7', source: 'quebec', detail: 'boom', ticketUrl: 'https://jira.example.com/browse/OPS-7' });
  });

  it('keys each retry attempt apart, and the same event of the same request alike', () => {
    const retry = (attempt: number) =>
      notificationRows(config(), { event: 'retry', issueKey: 'SCR-1', requestId: 'created', retry: { attempt, of: 3, dagRunId: `r__a${attempt}` } });
    expect(retry(2).map((row) => row.eventKey)).toEqual(['slack:SCR-1:created:retry:2']);
    expect(retry(3).map((row) => row.eventKey)).toEqual(['slack:SCR-1:created:retry:3']);
    expect(retry(2)).toEqual(retry(2));
  });
});

describe('keys and links', () => {
  it('takes the project from the key and links the ticket under /browse', () => {
    expect(projectOf('SCR-12')).toBe('SCR');
    expect(projectOf('A1B-3')).toBe('A1B');
    expect(ticketUrl('https://jira.example.com/jira/', 'SCR-12')).toBe('https://jira.example.com/jira/browse/SCR-12');
    expect(eventKey('email', 'SCR-12', '10001', 'stuck', 'queued')).toBe('email:SCR-12:10001:stuck:queued');
  });

  it('reads the loaded config as it is, with the same events', () => {
    expectTypeOf<Config>().toExtend<NotifyConfig>();
    expectTypeOf<NotifyEvent>().toEqualTypeOf<ConfigNotifyEvent>();
  });
});
