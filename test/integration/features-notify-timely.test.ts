import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpReceiver, type HttpReceiver } from '../notify/helpers.js';
import { eventOf, featureCli, mailSink, notifyConfig, runIdsOf, waitFor, type MailSink } from './features-helpers.js';
import { COMPLETED, readyTicket, view } from './tickets.js';
import { SLOW_TEST_MS, TIMING, useWorld } from './world.js';

const EVENTS = '[success, failed, invalid, retry]';
const CONFIG = notifyConfig(EVENTS);
const RUN_MS = TIMING.queuedMs + TIMING.runningMs + 1_000;

interface Channels {
  slack: HttpReceiver;
  smtp: MailSink;
}

function useChannels(): Channels {
  const channels = {} as Channels;
  beforeAll(async () => {
    channels.slack = await httpReceiver();
    channels.smtp = await mailSink();
  });
  afterAll(async () => {
    await channels.slack?.close();
    await channels.smtp?.stop();
  });
  return channels;
}

/** The Slack texts about one ticket that Slack accepted (answered 2xx), in the order they came. */
function slackTexts(slack: HttpReceiver, issue: string, accepted = true): string[] {
  return slack.posts
    .filter((post) => !accepted || (post.status !== undefined && post.status < 300))
    .map((post) => (JSON.parse(post.body) as { text: string }).text)
    .filter((text) => text.includes(`|${issue}>`));
}

function mailSubjects(smtp: MailSink, issue: string): string[] {
  return smtp.mails.filter((mail) => mail.subject.startsWith(`${issue} `)).map((mail) => mail.subject);
}

describe.each(['cloud', 'datacenter'] as const)('what each notification says (Jira %s, through the built CLI)', (jiraDeployment) => {
  const channels = useChannels();
  const key = { success: '', retried: '', invalid: '' };
  const summary = {
    success: 'Scrape quebec prices for the Q3 report',
    retried: 'Refresh alfabeta <catalogue> & prices',
    invalid: 'Scrape a source nobody configured',
  };
  const world = useWorld({ apiVersion: 'v2', jiraDeployment }, (world) => {
    key.success = readyTicket(world.jira, { source: 'quebec', summary: summary.success });
    key.retried = readyTicket(world.jira, { source: 'alfabeta', summary: summary.retried });
    key.invalid = readyTicket(world.jira, { source: 'nowhere', summary: summary.invalid });
    world.airflow.plan({ confMatch: { jira_issue_key: key.retried } }, { state: 'failed', errorText: 'HTTP 503 from the alfabeta portal' }, { times: 1 });
  });
  const reconciler = featureCli(
    world,
    () => world.configFile('notify.yaml', CONFIG),
    () => ({ SLACK_WEBHOOK_URL: channels.slack.url, SMTP_URL: channels.smtp.url }),
  );

  it('carries the key and summary in every Slack message and mail; the retry links the failed run and names the next', async () => {
    // Each pass is its own process: the summary read when the request was recorded outlives them.
    await reconciler.pass();
    world.advance(RUN_MS);
    await reconciler.pass();
    world.advance(61_000);
    await reconciler.pass();
    world.advance(RUN_MS);
    await reconciler.pass();

    expect(view(world.jira, key.retried)).toMatchObject({ status: COMPLETED, runStatus: 'success' });
    const { slack, smtp } = channels;
    const escaped = 'Refresh alfabeta &lt;catalogue&gt; &amp; prices';
    const expected = [
      { issue: key.success, events: ['success'], slackSummary: summary.success },
      { issue: key.retried, events: ['retry', 'success'], slackSummary: escaped },
      { issue: key.invalid, events: ['invalid'], slackSummary: summary.invalid },
    ];
    for (const { issue, events, slackSummary } of expected) {
      const texts = slackTexts(slack, issue);
      expect({ issue, slack: texts.map(eventOf) }).toEqual({ issue, slack: events });
      for (const text of texts) expect(text.split('\n')[0]).toBe(`*<${world.jira.url}/browse/${issue}|${issue}>* ${slackSummary}`);
      const subjects = mailSubjects(smtp, issue);
      expect({ issue, email: subjects.map(eventOf) }).toEqual({ issue, email: events });
      const plain = Object.entries(summary).find(([name]) => key[name as keyof typeof key] === issue)![1];
      for (const subject of subjects) expect(subject.endsWith(`: ${plain}`)).toBe(true);
    }

    const [failed, next] = runIdsOf(world.airflow.runs(), key.retried);
    expect(next).toBe(`${failed}__a2`);
    const retry = slackTexts(slack, key.retried)[0]!;
    expect(retry).toContain(`starts as ${next}, due `);
    expect(retry).toMatch(new RegExp(`<[^|>]*/runs/${failed}\\|Failed run: [^>]* run ${failed}>`));
    expect(retry).not.toMatch(new RegExp(`<[^|>]*${next}[^|>]*\\|`));
  }, SLOW_TEST_MS);
});

describe('when notifications go out (through the built CLI)', () => {
  const channels = useChannels();
  const world = useWorld({ apiVersion: 'v2' });
  const reconciler = featureCli(
    world,
    () => world.configFile('notify.yaml', CONFIG),
    () => ({ SLACK_WEBHOOK_URL: channels.slack.url, SMTP_URL: channels.smtp.url }),
  );

  it("sends a ticket's message as soon as its write-back is recorded, while another ticket's is still held", async () => {
    const { slack } = channels;
    const tickets = [readyTicket(world.jira, { source: 'quebec' }), readyTicket(world.jira, { source: 'quebec' })];
    await reconciler.pass();
    world.advance(RUN_MS);

    // The second final move of the pass is held until the first ticket's message has arrived.
    const seen: { held: string | null; otherDelivered: number } = { held: null, otherDelivered: -1 };
    const hook = world.jira.faults.onRequest({
      match: { method: 'POST', path: /\/issue\/[^/]+\/transitions$/ },
      nth: 2,
      stage: 'before',
      then: 'answer',
      run: async (request) => {
        seen.held = request.issueKey;
        const other = tickets.find((issue) => issue !== request.issueKey) ?? '';
        await waitFor('the first message', () => slackTexts(slack, other).length > 0, 30_000).catch(() => false);
        seen.otherDelivered = slackTexts(slack, other).length;
      },
    });
    await reconciler.pass();
    hook.cancel();

    expect(hook.fired()).toBe(true);
    expect(tickets).toContain(seen.held);
    expect(seen.otherDelivered).toBe(1);
    for (const issue of tickets) {
      expect(view(world.jira, issue)).toMatchObject({ status: COMPLETED, runStatus: 'success' });
      expect({ issue, slack: slackTexts(slack, issue).map(eventOf) }).toEqual({ issue, slack: ['success'] });
      expect({ issue, email: mailSubjects(channels.smtp, issue).map(eventOf) }).toEqual({ issue, email: ['success'] });
    }
  }, SLOW_TEST_MS);

  it('a daemon SIGKILLed while sending: the next one sends the message at once, and once', async () => {
    const { slack, smtp } = channels;
    const issue = readyTicket(world.jira, { source: 'quebec' });
    slack.holdNext = 1;
    let daemon = await reconciler.daemon();
    await waitFor('the trigger', () => view(world.jira, issue).airflowRunId !== null);
    world.advance(RUN_MS);
    await waitFor('the send under way', () => slackTexts(slack, issue, false).length > 0, 30_000);
    await daemon.kill();
    expect(view(world.jira, issue).status).toBe(COMPLETED);
    expect(slackTexts(slack, issue)).toEqual([]);

    // No clock moves: the claim's 10-minute lease never ends in this test, so only its release can send it.
    daemon = await reconciler.daemon();
    await waitFor('the message sent again', () => slackTexts(slack, issue).length > 0, 30_000);
    await daemon.morePasses(2);
    expect(await daemon.stop()).toBe(0);

    expect(daemon.logged('Notifications a stopped process was sending are due again now')).toMatchObject([{ released: 1 }]);
    expect(slackTexts(slack, issue, false)).toHaveLength(2);
    expect(slackTexts(slack, issue).map(eventOf)).toEqual(['success']);
    expect(mailSubjects(smtp, issue).map(eventOf)).toEqual(['success']);
  }, 120_000);
});
