import { describe, expect, it } from 'vitest';
import { slackText } from '../../../src/notify/message.js';
import type { Notification } from '../../../src/notify/notification.js';
import { plainText, readableNotification } from '../../../src/sandbox/demo/readable.js';

describe('the demo prints a notification as a person reads it', () => {
  it('drops the Slack markup: the ticket, then the event, on one line', () => {
    const text = '*<http://127.0.0.1:44577/browse/SCR-12|SCR-12>* Run lafa delta (delta)\nSucceeded: 4,870 items.\n<http://127.0.0.1:5/dags/scraper_lafa/grid?dag_run_id=x|scraper_lafa run jira__SCR-12__10001>';
    expect(readableNotification(text)).toBe('SCR-12 — Succeeded: 4,870 items.');
  });

  it('decodes what Slack escapes and keeps identifiers whole', () => {
    expect(plainText('Failed: page &lt;3&gt; &amp; more in scraper_lafa')).toBe('Failed: page <3> & more in scraper_lafa');
    expect(plainText('*<http://x/browse/OPS-1|OPS-1>*')).toBe('OPS-1');
    expect(plainText('see <http://x/y>')).toBe('see http://x/y');
  });

  it('reads what the Slack channel sends, for every event', () => {
    const base = { issueKey: 'SCR-7', ticketUrl: 'http://127.0.0.1:1/browse/SCR-7', dagId: 'scraper_quebec', dagRunId: 'jira__SCR-7__1', runUrl: 'http://127.0.0.1:2/run' };
    const cases: Array<[Partial<Notification>, string]> = [
      [{ event: 'success', itemCount: 6049402, summary: 'Scrape <all> prices' }, 'SCR-7 — Succeeded: 6,049,402 items.'],
      [{ event: 'failed', detail: 'Timeout <page 3>' }, 'SCR-7 — Failed: Timeout <page 3>'],
      [{ event: 'invalid', detail: 'Source: "atlantis" is not allowed' }, 'SCR-7 — Rejected without a DAG run: Source: "atlantis" is not allowed'],
    ];
    for (const [fields, line] of cases) {
      const text = slackText({ ...base, ...fields } as Notification);
      expect(readableNotification(text)).toBe(line);
      expect(readableNotification(text)).not.toMatch(/[<>*|]http|\*</);
    }
  });
});
