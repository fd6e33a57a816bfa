import { afterEach, describe, expect, it } from 'vitest';
import type { Notification } from '../../src/notify/notification.js';
import { runPass } from '../../src/reconcile/pass.js';
import { passDeps, ticket, type PassHarness } from './fakes.js';

const RUN1 = 'jira__SCR-1__10001';
const SUMMARY = 'Scrape alfabeta prices for January';
let h: PassHarness;

/** A harness whose Slack channel hears every event (the webhook secret set as the config loader would). */
async function harness(): Promise<PassHarness> {
  const file = {
    retry: { attempts: 3, delaySeconds: 60, when: ['503'] },
    notifications: { slack: { on: ['success', 'failed', 'invalid', 'retry'] } },
  };
  const made = await passDeps({ file });
  made.deps.config.secrets.slackWebhookUrl = 'https://hooks.slack.com/services/T0/B0/x';
  return made;
}

function payloads(): Notification[] {
  return h.store().outbox.list().map((row) => row.payload as Notification);
}

function finish(dagRunId: string, state: 'success' | 'failed', error: string | null = null): void {
  h.airflow.planResult(dagRunId, { kind: 'found', value: { run_id: 'RUN-1', item_count: 3, error } });
  h.airflow.move(dagRunId, state);
}

describe('what a notification says', () => {
  afterEach(() => h.cleanup());

  it("carries the ticket's summary, kept from the read that recorded the request", async () => {
    h = await harness();
    h.jira.add(ticket('SCR-1', { summary: SUMMARY }));
    h.jira.add(ticket('SCR-2', { summary: 'A request with no source', source: 'nowhere' }));
    await runPass(h.deps);
    expect(h.store().latestForIssue('SCR-1')?.summary).toBe(SUMMARY);

    finish(RUN1, 'success');
    h.clock.advance(10_000);
    await runPass(h.deps);

    expect(payloads().map((p) => [p.issueKey, p.event, p.summary])).toEqual([
      ['SCR-2', 'invalid', 'A request with no source'],
      ['SCR-1', 'success', SUMMARY],
    ]);
  });

  it('a retry links the run that failed, as its comment does, and names the next run and when it is due', async () => {
    h = await harness();
    h.jira.add(ticket('SCR-1', { summary: SUMMARY }));
    await runPass(h.deps);
    finish(RUN1, 'failed', 'portal answered 503');
    h.clock.advance(10_000);
    await runPass(h.deps);

    const retry = payloads().find((p) => p.event === 'retry');
    expect(retry).toMatchObject({
      summary: SUMMARY,
      dagRunId: RUN1,
      retry: { attempt: 2, of: 3, dagRunId: `${RUN1}__a2`, dueAt: new Date(h.clock.now().getTime() + 60_000).toISOString() },
    });
    expect(retry?.runUrl).toContain(`dag_run_id=${RUN1}`);
    expect(retry?.runUrl).not.toContain('__a2');
    const comment = h.jira.commentsOn('SCR-1').find((c) => c.marker.startsWith('retry:'));
    expect(comment?.text).toContain(retry!.runUrl!);
  });
});
