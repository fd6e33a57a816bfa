import { createHash } from 'node:crypto';
import { createTransport } from 'nodemailer';
import { buildMessage, plainText } from './message.js';
import { NotifyError, type Notifier } from './notifier.js';
import { smtpTransportOptions } from './smtp-url.js';

export interface EmailOptions {
  smtpUrl: string;
  from: string;
  to: readonly string[];
  timeoutMs: number;
}

/** Mail over SMTP with nodemailer: plain text, one message per event, to every `to` address at once. */
export function createEmailNotifier(options: EmailOptions): Notifier {
  const transport = createTransport(smtpTransportOptions(options.smtpUrl, options.timeoutMs));
  return {
    channel: 'email',
    async send(notification, eventKey) {
      try {
        await transport.sendMail({
          from: options.from,
          to: [...options.to],
          subject: buildMessage(notification).subject,
          text: plainText(notification),
          // The same id for a resend after a crash, so mail systems that deduplicate by it show one.
          messageId: messageIdFor(eventKey, options.from),
        });
      } catch (error) {
        throw smtpError(error);
      }
    },
    close() {
      transport.close();
    },
  };
}

export function messageIdFor(eventKey: string, from: string): string {
  const domain = /@([^>\s]+)>?$/.exec(from)?.[1] ?? 'jira-airflow-reconciler.invalid';
  return `<${createHash('sha256').update(eventKey).digest('hex').slice(0, 32)}@${domain}>`;
}

/** A 5xx reply or refused credentials would fail the same way again; a 4xx reply or a network error may not. */
export function smtpError(error: unknown): NotifyError {
  const detail = error as { code?: unknown; responseCode?: unknown; response?: unknown; message?: unknown };
  const code = typeof detail.responseCode === 'number' ? detail.responseCode : undefined;
  const reply = typeof detail.response === 'string' ? detail.response.slice(0, 200) : undefined;
  const permanent = detail.code === 'EAUTH' || (code !== undefined && code >= 500);
  const what = reply ?? (typeof detail.message === 'string' ? detail.message : String(error));
  const kind = typeof detail.code === 'string' ? ` (${detail.code})` : '';
  const verb = code === undefined && detail.code !== 'EAUTH' ? 'could not be reached or dropped the connection' : 'refused the message';
  return new NotifyError(`The mail server ${verb}${kind}: ${what}`, permanent, { cause: error });
}
