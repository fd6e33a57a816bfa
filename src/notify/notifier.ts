import type { Notification } from './notification.js';
import type { ChannelName } from './notify-config.js';

/** One channel. `send` resolves once the far side has accepted the message, and rejects otherwise. */
export interface Notifier {
  readonly channel: ChannelName;
  send(notification: Notification, eventKey: string): Promise<void>;
  /** Frees connections; the notifier is not used afterwards. */
  close(): void;
}

/**
 * A send that failed. `permanent`: the same message would fail again (a 4xx from the webhook, a 5xx
 * reply from the mail server), so it is given up at once instead of retried.
 */
export class NotifyError extends Error {
  override readonly name = 'NotifyError';
  constructor(
    message: string,
    readonly permanent: boolean,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
