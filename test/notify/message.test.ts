import { describe, expect, it } from 'vitest';
import { buildMessage, MAX_DETAIL_CHARS, plainText, slackText } from '../../src/notify/message.js';
import { notification } from './helpers.js';

describe('buildMessage', () => {
  it('says the outcome of each event in a subject with the key and summary', () => {
    const subjects = (['success', 'failed', 'invalid', 'cancelled', 'retry', 'stuck'] as const).map(
      (event) => buildMessage(notification({ event })).subject,
    );
    expect(subjects).toEqual([
      'SCR-12 succeeded: Scrape alfabeta prices',
      'SCR-12 failed: Scrape alfabeta prices',
      'SCR-12 was rejected: Scrape alfabeta prices',
      'SCR-12 was cancelled: Scrape alfabeta prices',
      'SCR-12 is being retried: Scrape alfabeta prices',
      'SCR-12 looks stuck: Scrape alfabeta prices',
    ]);
  });

  it('gives the item count of a success and the error of a failure', () => {
    expect(buildMessage(notification({ event: 'success', itemCount: 4870, detail: undefined })).outcome).toBe('Succeeded: 4,870 items.');
    expect(buildMessage(notification({ event: 'failed' })).outcome).toBe('Failed: portal answered 503');
    expect(buildMessage(notification({ event: 'invalid', detail: 'Source: missing' })).outcome).toBe('Rejected without a DAG run: Source: missing');
  });

  it('names the next attempt of a retry and how long a run has been stuck', () => {
    const retry = notification({ event: 'retry', retry: { attempt: 2, of: 3, dagRunId: 'jira__SCR-12__1__a2' } });
    expect(buildMessage(retry).outcome).toBe('Failed: portal answered 503; retrying. Attempt 2 of 3 starts as jira__SCR-12__1__a2.');
    const stuck = notification({ event: 'stuck', detail: 'the DAG was paused after the trigger', stuck: { state: 'queued', minutes: 45 } });
    expect(buildMessage(stuck).outcome).toBe('Stuck: queued for 45 minutes (the DAG was paused after the trigger).');
  });

  it('says one minute, not one minutes, and counts items with thousands separators', () => {
    const stuck = notification({ event: 'stuck', detail: 'the DAG was paused after the trigger', stuck: { state: 'queued', minutes: 1 } });
    expect(buildMessage(stuck).outcome).toBe('Stuck: queued for 1 minute (the DAG was paused after the trigger).');
    expect(buildMessage(notification({ event: 'success', itemCount: 6049402 })).outcome).toBe('Succeeded: 6,049,402 items.');
  });

  it('a retry names the next run and when it is due, and links the run that failed on every channel', () => {
    const retry = notification({ event: 'retry', retry: { attempt: 2, of: 3, dagRunId: 'jira__SCR-12__1__a2', dueAt: '2025-01-05T10:01:00.000Z' } });
    expect(buildMessage(retry).outcome).toBe('Failed: portal answered 503; retrying. Attempt 2 of 3 starts as jira__SCR-12__1__a2, due 2025-01-05T10:01:00.000Z.');
    expect(plainText(retry)).toContain(`Failed run: ${retry.runUrl} (scraper_alfabeta run jira__SCR-12__1)`);
    expect(slackText(retry)).toContain(`<${retry.runUrl}|Failed run: scraper_alfabeta run jira__SCR-12__1>`);
    expect(slackText(retry).split('\n')[0]).toBe('*<https://jira.example.com/browse/SCR-12|SCR-12>* Scrape alfabeta prices');
  });

  it('keeps the subject on one line and clips a long error', () => {
    const message = buildMessage(notification({ summary: 'two\nlines\r\nBcc: victim@example.com', detail: 'x'.repeat(5000) }));
    expect(message.subject).toBe('SCR-12 failed: two lines Bcc: victim@example.com');
    expect(message.outcome.length).toBe('Failed: '.length + MAX_DETAIL_CHARS);
    expect(message.outcome.endsWith('…')).toBe(true);
  });

  it('leaves out what is unknown: no summary, no DAG run', () => {
    const message = buildMessage(notification({ event: 'invalid', summary: undefined, dagRunId: undefined, runUrl: undefined, detail: undefined }));
    expect(message).toEqual({ subject: 'SCR-12 was rejected', outcome: 'Rejected without a DAG run.', run: null });
  });
});

describe('plainText', () => {
  it('links the ticket and the Airflow run on lines of their own', () => {
    const lines = plainText(notification()).split('\n');
    expect(lines).toContain('Ticket: https://jira.example.com/browse/SCR-12');
    expect(lines).toContain(
      'Airflow: https://airflow.example.com/dags/scraper_alfabeta/grid?dag_run_id=jira__SCR-12__1 (scraper_alfabeta run jira__SCR-12__1)',
    );
  });
});

describe('slackText', () => {
  it('links the key to the ticket and the run to Airflow', () => {
    expect(slackText(notification()).split('\n')).toEqual([
      '*<https://jira.example.com/browse/SCR-12|SCR-12>* Scrape alfabeta prices',
      'Failed: portal answered 503',
      '<https://airflow.example.com/dags/scraper_alfabeta/grid?dag_run_id=jira__SCR-12__1|scraper_alfabeta run jira__SCR-12__1>',
    ]);
  });

  it('escapes the characters Slack reads as markup in ticket text', () => {
    const text = slackText(notification({ summary: 'Prices <b> & <!channel>', detail: 'a > b' }));
    expect(text).toContain('Prices &lt;b&gt; &amp; &lt;!channel&gt;');
    expect(text).toContain('Failed: a &gt; b');
    expect(text).not.toContain('<!channel>');
  });
});
