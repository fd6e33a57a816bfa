import type { NewOutboxRow } from '../store/outbox-repo.js';
import type { Notification } from './notification.js';
import { CHANNELS, type ChannelFilters, type ChannelName, type NotifyConfig, type NotifyEvent } from './notify-config.js';

/** What the engine knows when an event happens; the ticket link is made from the Jira base URL. */
export interface NotifyInput extends Omit<Notification, 'ticketUrl'> {
  /** The request (changelog entry id, or `created`): a re-run is another request, so another message. */
  requestId: string;
  /**
   * Tells apart events that repeat within one request: each retry attempt, each stuck state. A retry
   * uses its attempt number when this is not given.
   */
  occurrence?: string | number;
}

/**
 * The outbox rows for one event: one per channel that wants it. Pure, so the engine can build them and
 * enqueue them in the same transaction that records the Jira write-back as done.
 */
export function notificationRows(config: NotifyConfig, input: NotifyInput): NewOutboxRow[] {
  const { requestId, occurrence, ...rest } = input;
  const payload: Notification = { ...rest, ticketUrl: ticketUrl(config.jira.baseUrl, input.issueKey) };
  return channelsFor(config, input.event, input.issueKey, input.source).map((channel) => ({
    channel,
    eventKey: eventKey(channel, input.issueKey, requestId, input.event, occurrence ?? input.retry?.attempt),
    payload,
  }));
}

/** The channels configured (settings and secret) whose filters let this event through. */
export function channelsFor(config: NotifyConfig, event: NotifyEvent, issueKey: string, source: string | undefined): ChannelName[] {
  return CHANNELS.filter((channel) => {
    const settings: ChannelFilters | undefined = config.notifications[channel];
    if (!settings || !hasSecret(config, channel)) return false;
    if (!settings.on.includes(event)) return false;
    if (settings.sources && (source === undefined || !settings.sources.includes(source))) return false;
    return !settings.projects || settings.projects.includes(projectOf(issueKey));
  });
}

/** `<channel>:<issue>:<requestId>:<event>[:<occurrence>]`: the outbox keeps one row per key, ever. */
export function eventKey(channel: ChannelName, issueKey: string, requestId: string, event: NotifyEvent, occurrence?: string | number): string {
  return [channel, issueKey, requestId, event, ...(occurrence === undefined ? [] : [String(occurrence)])].join(':');
}

/** `SCR-12` → `SCR`. Jira project keys hold no hyphen, so the key's number follows the last one. */
export function projectOf(issueKey: string): string {
  const at = issueKey.lastIndexOf('-');
  return at > 0 ? issueKey.slice(0, at) : issueKey;
}

export function ticketUrl(jiraBaseUrl: string, issueKey: string): string {
  return `${jiraBaseUrl.replace(/\/+$/, '')}/browse/${encodeURIComponent(issueKey)}`;
}

function hasSecret(config: NotifyConfig, channel: ChannelName): boolean {
  return channel === 'slack' ? !!config.secrets.slackWebhookUrl : !!config.secrets.smtpUrl;
}
