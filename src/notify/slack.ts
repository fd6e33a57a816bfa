import axios, { isAxiosError } from 'axios';
import { userAgent } from '../http/user-agent.js';
import { slackText } from './message.js';
import { NotifyError, type Notifier } from './notifier.js';
import { webhookUrlProblem } from './webhook-url.js';

export interface SlackOptions {
  webhookUrl: string;
  timeoutMs: number;
}

/**
 * Slack incoming webhook: one POST of `{ text }`. Slack answers 200 `ok`; 4xx (no_service,
 * invalid_payload, channel_is_archived) would answer the same again, except 429 which asks to wait.
 */
export function createSlackNotifier(options: SlackOptions): Notifier {
  const problem = webhookUrlProblem(options.webhookUrl);
  if (problem) throw new NotifyError(problem, true);
  const http = axios.create({
    timeout: options.timeoutMs,
    // A redirect would re-send the message somewhere the URL check never saw.
    maxRedirects: 0,
    // Outbound to one URL only; a proxy from the environment is not part of the configuration.
    proxy: false,
    // Who sent it (host and pid), as on every Jira and Airflow request.
    headers: { 'Content-Type': 'application/json', 'User-Agent': userAgent() },
    validateStatus: () => true,
  });
  return {
    channel: 'slack',
    async send(notification) {
      let response;
      try {
        response = await http.post<unknown>(options.webhookUrl, { text: slackText(notification) });
      } catch (error) {
        const reason = isAxiosError(error) ? (error.code ?? error.message) : String(error);
        throw new NotifyError(`The Slack webhook could not be reached (${reason})`, false, { cause: error });
      }
      if (response.status >= 200 && response.status < 300) return;
      const body = typeof response.data === 'string' ? response.data.slice(0, 200) : '';
      const permanent = response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429;
      throw new NotifyError(`The Slack webhook answered ${response.status}${body ? ` ${body}` : ''}`, permanent);
    },
    close() {},
  };
}
