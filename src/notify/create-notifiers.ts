import { createEmailNotifier } from './email.js';
import type { Notifier } from './notifier.js';
import type { ChannelName, NotifyConfig } from './notify-config.js';
import { createSlackNotifier } from './slack.js';

/** Every send, and doctor's mail-server check, ends within this. */
export const NOTIFY_TIMEOUT_MS = 10_000;

/**
 * The channels the config turns on, by name; empty when notifications are off. Built once in the
 * composition root; close() each when the process stops.
 */
export function createNotifiers(config: NotifyConfig, timeoutMs = NOTIFY_TIMEOUT_MS): Map<ChannelName, Notifier> {
  const notifiers = new Map<ChannelName, Notifier>();
  const { slack, email } = config.notifications;
  const { slackWebhookUrl, smtpUrl } = config.secrets;
  if (slack && slackWebhookUrl) notifiers.set('slack', createSlackNotifier({ webhookUrl: slackWebhookUrl, timeoutMs }));
  if (email && smtpUrl) notifiers.set('email', createEmailNotifier({ smtpUrl, from: email.from, to: email.to, timeoutMs }));
  return notifiers;
}
