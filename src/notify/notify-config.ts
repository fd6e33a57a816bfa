/**
 * What the notify module reads from the config, declared here so it does not wait on the config
 * module's types; the loaded `Config` satisfies it as it is.
 */
export const NOTIFY_EVENTS = ['success', 'failed', 'invalid', 'cancelled', 'retry', 'stuck'] as const;
export type NotifyEvent = (typeof NOTIFY_EVENTS)[number];

export const CHANNELS = ['slack', 'email'] as const;
export type ChannelName = (typeof CHANNELS)[number];

export interface ChannelFilters {
  /** The events this channel is told about. */
  on: readonly NotifyEvent[];
  /** Only tickets of these sources; every source when absent. */
  sources?: readonly string[] | undefined;
  /** Only tickets of these projects (the key's prefix); every project when absent. */
  projects?: readonly string[] | undefined;
}

export interface EmailSettings extends ChannelFilters {
  to: readonly string[];
  from: string;
}

export interface NotifyConfig {
  jira: { baseUrl: string };
  notifications: {
    slack?: ChannelFilters | undefined;
    email?: EmailSettings | undefined;
  };
  secrets: {
    /** SLACK_WEBHOOK_URL */
    slackWebhookUrl?: string | undefined;
    /** SMTP_URL */
    smtpUrl?: string | undefined;
  };
}
