import { describe, expect, it } from 'vitest';
import { readConfig } from '../../src/config/read-config.js';
import { MINIMAL_ENV, problemsOf, yamlFile } from './helpers.js';

const read = (text: string, env: Record<string, string> = {}) => readConfig({ ...MINIMAL_ENV, ...env }, yamlFile(text));
const problems = (text: string, env: Record<string, string> = {}) => problemsOf(() => read(text, env));

describe('the §7 settings, off until configured', () => {
  it('have today’s behaviour by default', () => {
    const config = readConfig(MINIMAL_ENV, null);
    expect(config.retry).toEqual({ attempts: 1, delaySeconds: 60, when: [] });
    expect(config.notifications).toEqual({});
    expect(config.watchdog).toEqual({});
    expect(config.jira.statuses.running).toBeUndefined();
    expect(config.jira.holdLabel).toBe('reconciler-hold');
    expect(config.airflow.checkDagParams).toBe(false);
    expect(config.airflow.pollOverlapMinutes).toBe(5);
    expect(config.sources['alfabeta']).toEqual({});
  });

  it('are read when given', () => {
    const config = read(`
jira:
  statuses: { running: Running }
  holdLabel: hold-please
airflow:
  checkDagParams: true
  pollOverlapMinutes: 0
retry: { attempts: 3, delaySeconds: 0, when: ["503", "/timed out/i"] }
watchdog: { queuedMinutes: 30, runningMinutes: 240 }
sources:
  alfabeta:
    maxInFlight: 2
    suspended: true
    retry: { attempts: 5 }
    runTypes:
      DELTA:
        paramsSchema: { type: object }
        retry: { when: [timeout] }
`);
    expect(config.jira.statuses).toMatchObject({ ready: 'Ready to Run', running: 'Running' });
    expect(config.jira.holdLabel).toBe('hold-please');
    expect(config.airflow).toMatchObject({ checkDagParams: true, pollOverlapMinutes: 0 });
    expect(config.retry).toEqual({ attempts: 3, delaySeconds: 0, when: ['503', '/timed out/i'] });
    expect(config.watchdog).toEqual({ queuedMinutes: 30, runningMinutes: 240 });
    expect(config.sources['alfabeta']).toEqual({
      maxInFlight: 2,
      suspended: true,
      retry: { attempts: 5 },
      runTypes: { DELTA: { paramsSchema: { type: 'object' }, retry: { when: ['timeout'] } } },
    });
  });

  it('fill in a partial top-level retry with the defaults', () => {
    expect(read('retry: { attempts: 2 }\n').retry).toEqual({ attempts: 2, delaySeconds: 60, when: [] });
  });
});

describe('bad §7 settings stop with a message naming the key', () => {
  it.each([
    ['retry:\n  attempts: 0\n', 'retry.attempts: 0 is too small; use at least 1'],
    ['retry:\n  delaySeconds: -1\n', 'retry.delaySeconds: -1 is too small; use at least 0'],
    ['retry:\n  attempts: 1.5\n', 'retry.attempts: 1.5 is not a whole number'],
    ['retry:\n  when: timeout\n', 'retry.when: expected a list, got "timeout"'],
    ['retry:\n  tries: 2\n', 'retry.tries: unknown key (allowed: attempts, delaySeconds, when)'],
    ['sources:\n  lafa:\n    retry: { attempts: 0 }\n', 'sources.lafa.retry.attempts: 0 is too small; use at least 1'],
    ['sources:\n  lafa:\n    runTypes:\n      DELTA: { retry: { wait: 1 } }\n', 'sources.lafa.runTypes.DELTA.retry.wait: unknown key (allowed: attempts, delaySeconds, when)'],
    ['sources:\n  lafa:\n    runTypes:\n      DELTA: { dagId: x }\n', 'sources.lafa.runTypes.DELTA.dagId: unknown key (allowed: paramsSchema, retry)'],
    ['sources:\n  lafa:\n    maxInFlight: 0\n', 'sources.lafa.maxInFlight: 0 is too small; use at least 1'],
    ['sources:\n  lafa:\n    suspended: "yes"\n', 'sources.lafa.suspended: expected a boolean, got "yes"'],
    ['jira:\n  statuses:\n    running: ""\n', 'jira.statuses.running: must not be empty'],
    ['jira:\n  holdLabel: "on hold"\n', 'jira.holdLabel: "on hold" is not a Jira label (no spaces)'],
    ['airflow:\n  checkDagParams: 1\n', 'airflow.checkDagParams: expected a boolean, got 1'],
    ['airflow:\n  pollOverlapMinutes: -1\n', 'airflow.pollOverlapMinutes: -1 is too small; use at least 0'],
    ['watchdog:\n  queuedMinutes: 0\n', 'watchdog.queuedMinutes: 0 is too small; use at least 1'],
    ['watchdog:\n  stuckMinutes: 5\n', 'watchdog.stuckMinutes: unknown key (allowed: queuedMinutes, runningMinutes)'],
  ])('%j', (text, message) => {
    expect(problems(text)).toEqual([message]);
  });

  it('an invalid retry pattern names its key, at every level', () => {
    const text = 'retry:\n  when: ["ok", "(unclosed"]\nsources:\n  lafa:\n    retry: { when: ["[z-a]"] }\n    runTypes:\n      DELTA: { retry: { when: ["/x/q"] } }\n';
    const found = problems(text);
    expect(found).toHaveLength(3);
    expect(found[0]).toMatch(/^sources\.lafa\.retry\.when\[0\]: "\[z-a\]" is not a valid regular expression \(.*\); write a JavaScript regular expression/);
    expect(found[1]).toMatch(/^sources\.lafa\.runTypes\.DELTA\.retry\.when\[0\]: "\/x\/q" is not a valid regular expression/);
    expect(found[2]).toMatch(/^retry\.when\[1\]: "\(unclosed" is not a valid regular expression/);
  });

  it('a run type setting for a name that is not a run type', () => {
    expect(problems('sources:\n  lafa:\n    runTypes:\n      WEEKLY: {}\n')).toEqual([
      'sources.lafa.runTypes.WEEKLY: not a run type; use one of FULL_REFRESH, DELTA, SINGLE_PRODUCT (the runTypes list)',
    ]);
  });

  it('a run type paramsSchema ajv cannot compile', () => {
    expect(problems('sources:\n  lafa:\n    runTypes:\n      DELTA:\n        paramsSchema: { type: objekt }\n')).toEqual([
      expect.stringMatching(/^sources\.lafa\.runTypes\.DELTA\.paramsSchema: not a usable JSON Schema \(/),
    ]);
  });
});

describe('notifications', () => {
  const secrets = { SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T1/B1/xyz', SMTP_URL: 'smtp://u:p@mail.acme.io:587' };

  it('are read with their filters; one e-mail address becomes a list', () => {
    const config = read(
      'notifications:\n  slack: { on: [failed, stuck], sources: [lafa], projects: [SCR] }\n' +
        '  email: { on: [success], to: ops@acme.io, from: bot@acme.io }\n',
      secrets,
    );
    expect(config.notifications.slack).toEqual({ on: ['failed', 'stuck'], sources: ['lafa'], projects: ['SCR'] });
    expect(config.notifications.email).toEqual({ on: ['success'], to: ['ops@acme.io'], from: 'bot@acme.io' });
    expect(config.secrets).toMatchObject({ slackWebhookUrl: secrets.SLACK_WEBHOOK_URL, smtpUrl: secrets.SMTP_URL });
  });

  it('take a list of recipients', () => {
    const config = read('notifications:\n  email: { on: [failed], to: [a@acme.io, b@acme.io], from: bot@acme.io }\n', secrets);
    expect(config.notifications.email?.to).toEqual(['a@acme.io', 'b@acme.io']);
  });

  it.each([
    ['slack: { on: [] }', 'notifications.slack.on: must list at least 1 item(s)'],
    ['slack: { on: [done] }', 'notifications.slack.on[0]: "done" is not allowed; use one of success, failed, invalid, cancelled, retry, stuck'],
    ['slack: { on: [failed], channel: x }', 'notifications.slack.channel: unknown key (allowed: on, sources, projects)'],
    ['email: { on: [failed], to: nobody, from: bot@acme.io }', 'notifications.email.to: "nobody" is not a valid email'],
    ['email: { on: [failed], to: [ok@acme.io, bad], from: bot@acme.io }', 'notifications.email.to[1]: "bad" is not a valid email'],
    ['email: { on: [failed], to: a@acme.io }', 'notifications.email.from: expected a string, got nothing'],
    ['slack: { on: [failed], sources: [mars] }', 'notifications.slack.sources: "mars" is not a configured source; use one of alfabeta, quebec, lafa'],
    ['slack: { on: [failed], projects: [OPS] }', 'notifications.slack.projects: OPS is not one of jira.projects (SCR); add it there or remove it here'],
  ])('%s', (yaml, message) => {
    expect(problems(`notifications:\n  ${yaml}\n`, secrets)).toEqual([message]);
  });

  it('a configured channel without its secret says which variable to set', () => {
    expect(problems('notifications:\n  slack: { on: [failed] }\n  email: { on: [failed], to: a@acme.io, from: b@acme.io }\n')).toEqual([
      'notifications.slack: needs SLACK_WEBHOOK_URL; set SLACK_WEBHOOK_URL (or SLACK_WEBHOOK_URL_FILE, or a systemd LoadCredential= named ' +
        'slack_webhook_url) to the Slack incoming-webhook URL, e.g. https://hooks.slack.com/services/..., or remove notifications.slack',
      'notifications.email: needs SMTP_URL; set SMTP_URL (or SMTP_URL_FILE, or a systemd LoadCredential= named smtp_url) to the mail ' +
        'server, e.g. smtp://user:pass@mail.example.com:587 or smtps://user:pass@mail.example.com, or remove notifications.email',
    ]);
  });

  it.each([
    [{ SLACK_WEBHOOK_URL: 'hooks.slack.com/x' }, 'SLACK_WEBHOOK_URL: not an absolute URL; give the incoming-webhook URL Slack shows, https://hooks.slack.com/services/...'],
    [{ SLACK_WEBHOOK_URL: 'http://hooks.slack.com/services/secret-part' }, 'SLACK_WEBHOOK_URL: uses http: to hooks.slack.com; use https:// (http is allowed only for localhost, 127.0.0.0/8 and [::1])'],
    [{ SMTP_URL: 'https://u:secret-pw@mail.acme.io' }, 'SMTP_URL: uses https:, which is not a mail server URL; use smtp://user:pass@host:port (STARTTLS) or smtps://user:pass@host:port'],
    [{ SMTP_URL: '//mail.acme.io:25' }, 'SMTP_URL: not an absolute URL; use smtp://user:pass@host:port (STARTTLS) or smtps://user:pass@host:port'],
  ])('a secret of the wrong kind is refused without showing it (%o)', (env, message) => {
    const found = problems('', env);
    expect(found).toEqual([message]);
    expect(found.join('\n')).not.toContain('secret');
  });

  it('a loopback http webhook and both SMTP forms are fine', () => {
    const env = { SLACK_WEBHOOK_URL: 'http://127.0.0.1:8025/hook', SMTP_URL: 'smtps://u:p@mail.acme.io' };
    expect(read('', env).secrets).toMatchObject({ slackWebhookUrl: 'http://127.0.0.1:8025/hook', smtpUrl: 'smtps://u:p@mail.acme.io' });
  });
});
