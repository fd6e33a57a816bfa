import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Counter, Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { drainOutbox, type DrainDeps, type NotificationCounter, type NotificationResult } from '../../src/notify/drain.js';
import type { Notification } from '../../src/notify/notification.js';
import { NotifyError, type Notifier } from '../../src/notify/notifier.js';
import type { NotifyConfig } from '../../src/notify/notify-config.js';
import { PendingRecords } from '../../src/notify/pending-records.js';
import { notificationRows } from '../../src/notify/routing.js';
import { createSlackNotifier } from '../../src/notify/slack.js';
import { openStore, type SqliteStore } from '../../src/store/sqlite-store.js';
import { fakeClock, type FakeClock } from '../support/fake-clock.js';
import { captureLog } from '../support/log-capture.js';
import { httpReceiver, type HttpReceiver } from './helpers.js';

const T0 = new Date('2025-01-05T10:00:00.000Z');
const LEASE = 10 * 60_000;

function counter() {
  const counts = new Map<string, number>();
  return {
    counts,
    inc({ channel, result }: { channel: string; result: NotificationResult }) {
      counts.set(`${channel}/${result}`, (counts.get(`${channel}/${result}`) ?? 0) + 1);
    },
  };
}

const config = (slackWebhookUrl: string): NotifyConfig => ({
  jira: { baseUrl: 'https://jira.example.com' },
  notifications: { slack: { on: ['failed', 'success'] }, email: { on: ['failed'], to: ['ops@example.com'], from: 'r@example.com' } },
  secrets: { slackWebhookUrl, smtpUrl: 'smtp://127.0.0.1:1' },
});

/** A channel whose sends the test scripts: each call takes the next behaviour, then succeeds. */
function scripted(channel: 'slack' | 'email', script: Array<'ok' | 'transient' | 'permanent' | 'hang' | 'deliver-then-hang'> = []) {
  const delivered: string[] = [];
  const notifier: Notifier & { delivered: string[] } = {
    channel,
    delivered,
    send(notification: Notification, eventKey: string) {
      const step = script.shift() ?? 'ok';
      if (step === 'transient') return Promise.reject(new NotifyError('server said 503', false));
      if (step === 'permanent') return Promise.reject(new NotifyError('server said 404 no_service', true));
      if (step === 'hang') return new Promise<void>(() => {});
      delivered.push(`${eventKey} ${notification.issueKey}`);
      return step === 'deliver-then-hang' ? new Promise<void>(() => {}) : Promise.resolve();
    },
    close() {},
  };
  return notifier;
}

describe('drainOutbox', () => {
  let dir: string;
  let path: string;
  let store: SqliteStore;
  let clock: FakeClock;
  let receiver: HttpReceiver;
  const open = () => openStore(path, { clock, command: 'daemon', lockWaitMs: 0 });

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'reconciler-outbox-'));
    path = join(dir, 'reconciler.db');
    clock = fakeClock(T0);
    store = await open();
    receiver = await httpReceiver();
  });
  afterEach(async () => {
    store.close();
    await receiver.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function enqueue(issueKey = 'SCR-12', event: 'failed' | 'success' = 'failed'): void {
    store.outbox.enqueue(notificationRows(config(receiver.url), { event, issueKey, requestId: '10001', source: 'alfabeta', detail: 'boom' }), clock.now());
  }

  /** A Slack send that hangs, `times` over, each ended by a crash (the store closed and opened again), then `afterCrash`. */
  async function crashWhileSending(times: number, afterCrash: () => void): Promise<void> {
    for (let crash = 0; crash < times; crash += 1) {
      const drain = deps([scripted('slack', ['hang'])], { policy: { maxAttempts: 2 } }).deps;
      const sending = untilSending();
      void drainOutbox(drain);
      await sending;
      store.close();
      store = await open();
      afterCrash();
    }
  }

  /** The drain's store calls are awaited: a few turns pass before its claim is written and its send begun. */
  async function untilSending(): Promise<void> {
    const attempts = (): number => store.outbox.list().reduce((sum, row) => sum + row.attempts, 0);
    const before = attempts();
    for (let turn = 0; turn < 50 && attempts() === before; turn += 1) await Promise.resolve();
    await Promise.resolve();
  }

  function deps(notifiers: Notifier[], overrides: Partial<DrainDeps> = {}) {
    const count = counter();
    const captured = captureLog();
    const d: DrainDeps = { outbox: store.outbox, notifiers: new Map(notifiers.map((n) => [n.channel, n])), clock, log: captured.log, counter: count, ...overrides };
    return { deps: d, counts: count.counts, logText: captured.text };
  }

  it('sends each due notification once through its channel and marks it sent', async () => {
    enqueue();
    const email = scripted('email');
    const { deps: d, counts } = deps([createSlackNotifier({ webhookUrl: receiver.url, timeoutMs: 5_000 }), email]);

    expect(await drainOutbox(d)).toEqual({ sent: 2, failed: 0, givenUp: 0, retryInMs: [] });
    expect(await drainOutbox(d)).toEqual({ sent: 0, failed: 0, givenUp: 0, retryInMs: [] });

    expect(receiver.posts).toHaveLength(1);
    expect((JSON.parse(receiver.posts[0]!.body) as { text: string }).text).toContain('SCR-12');
    expect(email.delivered).toEqual(['email:SCR-12:10001:failed SCR-12']);
    expect(store.outbox.list().every((row) => row.sentAt === T0.toISOString() && row.attempts === 1)).toBe(true);
    expect([...counts]).toEqual([['slack/sent', 1], ['email/sent', 1]]);
  });

  it('backs off through due times in the store, doubling, then gives up, never sleeping', async () => {
    enqueue();
    receiver.answers.push({ status: 503 }, { status: 503 }, { status: 503 }, { status: 503 }, { status: 503 });
    const { deps: d, counts, logText } = deps([createSlackNotifier({ webhookUrl: receiver.url, timeoutMs: 5_000 })]);

    const waits: number[] = [];
    for (let drain = 0; drain < 5; drain += 1) {
      const result = await drainOutbox(d);
      waits.push(...result.retryInMs);
      if (result.retryInMs.length === 0) break;
      clock.advance(result.retryInMs[0]! - 1);
      expect(await drainOutbox(d)).toMatchObject({ sent: 0, failed: 0 });
      clock.advance(1);
    }

    expect(waits).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(receiver.posts).toHaveLength(5);
    expect(clock.sleeps).toEqual([]);
    const [row] = store.outbox.list().filter((r) => r.channel === 'slack');
    expect(row).toMatchObject({ attempts: 5, sentAt: null, givenUpAt: clock.now().toISOString() });
    expect(row!.lastError).toMatch(/answered 503 \(attempt 5 of 5\)/);
    expect(counts.get('slack/failed')).toBe(4);
    expect(counts.get('slack/given_up')).toBe(1);
    expect(logText()).toMatch(/"level":50.*Notification given up/);
  });

  it('counts into reconciler_notifications_total as declared for the metrics registry', async () => {
    enqueue();
    const registry = new Registry();
    const metric = new Counter({
      name: 'reconciler_notifications_total',
      help: 'Notifications by channel and result (sent; failed: to be retried; given_up).',
      labelNames: ['channel', 'result'],
      registers: [registry],
    });
    const prom: NotificationCounter = metric;
    await drainOutbox({ ...deps([scripted('slack'), scripted('email', ['transient'])]).deps, counter: prom });
    const text = await registry.metrics();
    expect(text).toContain('reconciler_notifications_total{channel="slack",result="sent"} 1');
    expect(text).toContain('reconciler_notifications_total{channel="email",result="failed"} 1');
  });

  it('gives up at once on a permanent refusal', async () => {
    enqueue();
    const { deps: d, counts } = deps([scripted('slack', ['permanent']), scripted('email')]);
    expect(await drainOutbox(d)).toEqual({ sent: 1, failed: 0, givenUp: 1, retryInMs: [] });
    expect(counts.get('slack/given_up')).toBe(1);
    expect(store.outbox.list()[0]).toMatchObject({ attempts: 1, lastError: 'server said 404 no_service' });
  });

  it('leaves the rest of a failing channel for the next drain, and sends the other channel', async () => {
    enqueue('SCR-1');
    enqueue('SCR-2');
    const slack = scripted('slack', ['transient']);
    const email = scripted('email');
    const { deps: d } = deps([slack, email]);
    expect(await drainOutbox(d)).toEqual({ sent: 2, failed: 1, givenUp: 0, retryInMs: [30_000] });
    expect(slack.delivered).toEqual([]);
    expect(email.delivered).toHaveLength(2);
    expect(await drainOutbox(d)).toMatchObject({ sent: 1 });
    expect(slack.delivered).toEqual(['slack:SCR-2:10001:failed SCR-2']);
  });

  it('starts no send once its time budget is spent', async () => {
    enqueue('SCR-1');
    enqueue('SCR-2');
    const slow: Notifier = {
      channel: 'slack',
      send: () => {
        clock.advance(20_000);
        return Promise.resolve();
      },
      close() {},
    };
    const { deps: d } = deps([slow], { policy: { budgetMs: 15_000 } });
    expect(await drainOutbox(d)).toMatchObject({ sent: 1 });
    expect(store.outbox.due(clock.now(), 10).map((row) => row.eventKey)).toEqual(['email:SCR-1:10001:failed', 'slack:SCR-2:10001:failed', 'email:SCR-2:10001:failed']);
  });

  it('gives up a row for a channel that is no longer configured, or whose payload is malformed', async () => {
    enqueue();
    store.outbox.enqueue([{ eventKey: 'slack:bad', channel: 'slack', payload: { event: 'exploded' } }], clock.now());
    const { deps: d, counts } = deps([scripted('slack')]);
    expect(await drainOutbox(d)).toMatchObject({ sent: 1, givenUp: 2 });
    expect(store.outbox.list().map((row) => row.lastError)).toEqual([
      null,
      'the email channel is not configured any more',
      expect.stringMatching(/^the stored notification is malformed/),
    ]);
    expect(counts.get('email/given_up')).toBe(1);
  });

  it('never throws, even when the store fails under it', async () => {
    const { deps: d, logText } = deps([scripted('slack')], {
      outbox: { ...store.outbox, due: () => { throw new Error('SQLITE_IOERR: disk I/O error'); } },
    });
    expect(await drainOutbox(d)).toEqual({ sent: 0, failed: 0, givenUp: 0, retryInMs: [] });
    expect(logText()).toMatch(/"level":50.*disk I\/O error.*Sending notifications failed/);
  });

  it('records a delivery whose record failed at the next drain, and never sends it again', async () => {
    enqueue();
    const slack = scripted('slack');
    const email = scripted('email');
    let cutOff = true;
    // The database is cut off just as the first delivery is recorded (pg_terminate_backend, a failover).
    const outbox: DrainDeps['outbox'] = {
      ...store.outbox,
      markSent(id, now) {
        if (cutOff) {
          cutOff = false;
          return Promise.reject(new Error('Connection terminated unexpectedly'));
        }
        return store.outbox.markSent(id, now);
      },
    };
    const unrecorded = new PendingRecords(async (id) => {
      await outbox.markSent(id, clock.now());
    }, captureLog().log);
    const { deps: d, counts, logText } = deps([slack, email], { outbox, unrecorded });

    expect(await drainOutbox(d)).toEqual({ sent: 2, failed: 0, givenUp: 0, retryInMs: [] });
    const slackRow = store.outbox.list().find((row) => row.channel === 'slack');
    expect(slackRow).toMatchObject({ sentAt: null, attempts: 1 });
    expect(unrecorded.has(slackRow!.id)).toBe(true);
    unrecorded.stop();
    expect(logText()).toMatch(/Notification sent, but recording it failed/);

    // Long after the claim's lease: the row is due again, but this process knows it went out.
    clock.advance(LEASE + 1);
    expect(await drainOutbox(d)).toEqual({ sent: 0, failed: 0, givenUp: 0, retryInMs: [] });
    expect(unrecorded.size).toBe(0);
    expect(store.outbox.list().every((row) => row.sentAt !== null && row.claimedAt === null)).toBe(true);
    expect(slack.delivered).toEqual(['slack:SCR-12:10001:failed SCR-12']);
    expect(email.delivered).toEqual(['email:SCR-12:10001:failed SCR-12']);
    expect([...counts]).toEqual([['slack/sent', 1], ['email/sent', 1]]);
  });

  describe('across a crash', () => {
    it('keeps one notification when the enqueue is repeated after a restart', async () => {
      enqueue();
      store.close();
      store = await open();
      enqueue();
      const slack = scripted('slack');
      const { deps: d } = deps([slack, scripted('email')]);
      await drainOutbox(d);
      expect(store.outbox.list()).toHaveLength(2);
      expect(slack.delivered).toEqual(['slack:SCR-12:10001:failed SCR-12']);
    });

    it('sends a notification claimed before the crash once, after the lease, without a duplicate or a loss', async () => {
      enqueue();
      const dead = scripted('slack', ['hang']);
      // The first drain claims the row and never returns: the process dies during the send.
      void drainOutbox(deps([dead], { notifiers: new Map([['slack', dead]]) }).deps);
      await Promise.resolve();
      expect(store.outbox.list().find((row) => row.channel === 'slack')).toMatchObject({ attempts: 1, claimedAt: T0.toISOString(), sentAt: null });
      store.close();

      store = await open();
      const slack = scripted('slack');
      const email = scripted('email');
      const restarted = deps([slack, email]);
      clock.advance(LEASE - 1);
      await drainOutbox(restarted.deps);
      expect(slack.delivered).toEqual([]);
      clock.advance(1);
      await drainOutbox(restarted.deps);
      await drainOutbox(restarted.deps);

      expect(slack.delivered).toEqual(['slack:SCR-12:10001:failed SCR-12']);
      expect(email.delivered).toEqual(['email:SCR-12:10001:failed SCR-12']);
      expect(store.outbox.list().find((row) => row.channel === 'slack')).toMatchObject({ attempts: 2, claimedAt: null });
      expect(restarted.logText()).toMatch(/send started before a restart never finished/);
    });

    it('sends a claim left by a dead process at once when the next writer releases it, once, without waiting for the lease', async () => {
      enqueue();
      const dead = scripted('slack', ['hang']);
      void drainOutbox(deps([dead], { notifiers: new Map([['slack', dead]]) }).deps);
      await Promise.resolve();
      store.close();

      store = await open();
      // The new writer holds the lock, so the claim's sender is dead: no need to wait out the lease.
      expect(store.outbox.releaseClaims(clock.now())).toBe(1);
      const slack = scripted('slack');
      const email = scripted('email');
      const restarted = deps([slack, email]);
      await drainOutbox(restarted.deps);
      await drainOutbox(restarted.deps);

      expect(slack.delivered).toEqual(['slack:SCR-12:10001:failed SCR-12']);
      expect(email.delivered).toEqual(['email:SCR-12:10001:failed SCR-12']);
      expect(store.outbox.list().find((row) => row.channel === 'slack')).toMatchObject({ attempts: 2, claimedAt: null, sentAt: T0.toISOString() });
      expect(restarted.logText()).toMatch(/send started before a restart never finished/);
    });

    it('still gives up a released row whose every attempt was cut short by a crash', async () => {
      enqueue();
      await crashWhileSending(2, () => store.outbox.releaseClaims(clock.now()));
      const slack = scripted('slack');
      const { deps: d, counts } = deps([slack, scripted('email')], { policy: { maxAttempts: 2 } });
      await drainOutbox(d);
      expect(slack.delivered).toEqual([]);
      expect(counts.get('slack/given_up')).toBe(1);
    });

    it('resends once when the far side took it but the process died before marking it sent (the stated window)', async () => {
      enqueue();
      const dying = scripted('slack', ['deliver-then-hang']);
      const sending = untilSending();
      void drainOutbox(deps([dying]).deps);
      await sending;
      store.close();

      store = await open();
      clock.advance(LEASE);
      const slack = scripted('slack');
      const { deps: d } = deps([slack, scripted('email')]);
      await drainOutbox(d);
      await drainOutbox(d);
      expect([...dying.delivered, ...slack.delivered]).toEqual(['slack:SCR-12:10001:failed SCR-12', 'slack:SCR-12:10001:failed SCR-12']);
    });

    it('gives up a row whose every attempt was cut short by a crash', async () => {
      enqueue();
      await crashWhileSending(2, () => clock.advance(LEASE));
      const slack = scripted('slack');
      const { deps: d, counts } = deps([slack, scripted('email')], { policy: { maxAttempts: 2 } });
      await drainOutbox(d);
      expect(slack.delivered).toEqual([]);
      expect(counts.get('slack/given_up')).toBe(1);
      expect(store.outbox.list().find((row) => row.channel === 'slack')?.lastError).toMatch(/never finished .*no attempts are left/);
    });
  });
});
