import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpReceiver, type HttpReceiver } from '../notify/helpers.js';
import { eventOf, featureCli, mailSink, notifyConfig, waitFor, type MailSink } from './features-helpers.js';
import { COMPLETED, readyTicket, view } from './tickets.js';
import { SLOW_TEST_MS, TIMING, useWorld, type World } from './world.js';

const EVENTS = '[success, failed, invalid, cancelled, retry]';
const CONFIG = notifyConfig(EVENTS);
const RUN_MS = TIMING.queuedMs + TIMING.runningMs + 1_000;
/** The outbox's first backoff after a failed send is 30 s (src/notify/drain.ts). */
const BACKOFF_MS = 31_000;

describe.each(['v1', 'v2'] as const)('notifications through the built CLI (Airflow %s)', (apiVersion) => {
  let slack: HttpReceiver;
  let smtp: MailSink;
  beforeAll(async () => {
    slack = await httpReceiver();
    smtp = await mailSink();
  });
  afterAll(async () => {
    await slack?.close();
    await smtp?.stop();
  });

  const key = { success: '', failed: '', invalid: '', cancelled: '', retried: '', smtpDown: '', killed: '' };
  const world = useWorld({ apiVersion }, (world) => {
    key.success = readyTicket(world.jira, { source: 'quebec' });
    key.failed = readyTicket(world.jira, { source: 'quebec' });
    key.invalid = readyTicket(world.jira, { source: 'nowhere' });
    key.cancelled = readyTicket(world.jira, { source: 'lafa' });
    key.retried = readyTicket(world.jira, { source: 'alfabeta' });
    fail(world, key.failed, 'KeyError: price column missing', Number.POSITIVE_INFINITY);
    fail(world, key.retried, 'HTTP 503 from the alfabeta portal', 1);
  });
  const reconciler = featureCli(
    world,
    () => world.configFile('notify.yaml', CONFIG),
    () => ({ SLACK_WEBHOOK_URL: slack.url, SMTP_URL: smtp.url }),
  );

  /** Events told per ticket, by channel, in the order they arrived. */
  const slackEvents = (issue: string): string[] =>
    slack.posts.map((post) => (JSON.parse(post.body) as { text: string }).text).filter((text) => text.includes(`|${issue}>`)).map(eventOf);
  const mailEvents = (issue: string): string[] => smtp.mails.filter((mail) => mail.subject.startsWith(`${issue} `)).map((mail) => eventOf(mail.subject));

  it('sends exactly one Slack message and one mail per event for a run of several tickets', async () => {
    await reconciler.pass();
    world.advance(TIMING.queuedMs + 1_000);
    await reconciler.pass();
    world.jira.moveIssue(key.cancelled, 'Cancelled');
    await reconciler.pass();
    world.advance(TIMING.runningMs);
    await reconciler.pass();
    world.advance(61_000);
    await reconciler.pass();
    world.advance(RUN_MS);
    await reconciler.pass();
    await reconciler.pass();

    expect(view(world.jira, key.retried)).toMatchObject({ status: COMPLETED, runStatus: 'success' });
    const expected: Record<string, string[]> = {
      [key.success]: ['success'],
      [key.failed]: ['failed'],
      [key.invalid]: ['invalid'],
      [key.cancelled]: ['cancelled'],
      [key.retried]: ['retry', 'success'],
    };
    for (const [issue, events] of Object.entries(expected)) {
      expect({ issue, slack: slackEvents(issue) }).toEqual({ issue, slack: events });
      expect({ issue, email: mailEvents(issue) }).toEqual({ issue, email: events });
    }
    expect(slack.posts).toHaveLength(6);
    expect(smtp.mails).toHaveLength(6);
    const text = (JSON.parse(slack.posts.find((post) => post.body.includes(`|${key.success}>`))!.body) as { text: string }).text;
    expect(text).toContain(`${world.jira.url}/browse/${key.success}`);
    expect(text).toContain(view(world.jira, key.success).airflowRunId!);
  }, SLOW_TEST_MS);

  it('a dead mail server delays no Jira write; the mail goes out once after the server is back', async () => {
    key.smtpDown = readyTicket(world.jira, { source: 'quebec' });
    await reconciler.pass();
    await smtp.stop();
    world.advance(RUN_MS);
    await reconciler.pass();

    expect(view(world.jira, key.smtpDown)).toMatchObject({ status: COMPLETED, runStatus: 'success' });
    expect(slackEvents(key.smtpDown)).toEqual(['success']);
    expect(mailEvents(key.smtpDown)).toEqual([]);

    await smtp.start();
    await reconciler.pass();
    expect(mailEvents(key.smtpDown)).toEqual([]);
    world.advance(BACKOFF_MS);
    await reconciler.pass();
    await reconciler.pass();
    expect(mailEvents(key.smtpDown)).toEqual(['success']);
    expect(slackEvents(key.smtpDown)).toEqual(['success']);
  }, SLOW_TEST_MS);

  it('a daemon SIGKILLed while a notification waits to be sent again loses none and repeats none', async () => {
    key.killed = readyTicket(world.jira, { source: 'quebec' });
    slack.answers.push({ status: 503, body: 'service unavailable' });
    const before = slack.posts.length;
    let daemon = await reconciler.daemon();
    await waitFor('the trigger', () => view(world.jira, key.killed).airflowRunId !== null);
    world.advance(RUN_MS);
    await waitFor('the refused Slack post', () => slack.posts.length > before, 30_000);
    // Killed right after the pass that queued the message and had it refused: it waits in the outbox.
    await daemon.morePasses();
    await daemon.kill();
    expect(daemon.logged('Notification not sent; it will be retried')).toHaveLength(1);
    expect(view(world.jira, key.killed).status).toBe(COMPLETED);
    expect(slackEvents(key.killed)).toEqual(['success']);

    world.advance(BACKOFF_MS);
    daemon = await reconciler.daemon();
    await waitFor('the Slack post sent again', () => slackEvents(key.killed).length === 2, 30_000);
    await daemon.morePasses(2);
    expect(await daemon.stop()).toBe(0);

    // The first post was answered 503 (not delivered); the second was accepted: one message in Slack.
    expect(slackEvents(key.killed)).toEqual(['success', 'success']);
    expect(mailEvents(key.killed)).toEqual(['success']);
  }, 120_000);
});

function fail(world: World, key: string, errorText: string, times: number): void {
  world.airflow.plan({ confMatch: { jira_issue_key: key } }, { state: 'failed', errorText }, { times });
}
