import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { PassSummary } from '../../src/reconcile/summary.js';
import type { SimDagRun } from '../../src/sandbox/airflow/index.js';
import type { FaultInjector } from '../../src/sandbox/common/faults.js';
import type { RequestMatch } from '../../src/sandbox/common/request-match.js';
import type { JiraSim } from '../../src/sandbox/jira/server.js';
import { logRecords, spawnCli, waitFor, type CliProcess } from '../support/built-cli.js';
import type { CliResult } from './cli.js';
import type { World } from './world.js';

/*
 * The CLI reads the system clock, while the simulators run on the world's clock, which only the test
 * moves. Due times (retries, notification backoff) and the watchdog's minutes are measured by the CLI,
 * so the child is started with its Date shifted onto the world's clock (a preload, like libfaketime):
 * moving the world's clock then moves the reconciler's too, and no test waits for real time.
 */
const PRELOAD = `const offset = Number(process.env.FEATURES_TEST_CLOCK_OFFSET_MS ?? '0');
const RealDate = globalThis.Date;
const realNow = RealDate.now.bind(RealDate);
class ShiftedDate extends RealDate {
  constructor(...args) {
    if (args.length === 0) super(realNow() + offset);
    else super(...args);
  }
  static now() {
    return realNow() + offset;
  }
}
globalThis.Date = ShiftedDate;
`;

/** The environment that puts a child's clock on the world's clock as it reads now. */
export function onWorldClock(world: World): Record<string, string> {
  const preload = join(world.dir, 'world-clock.mjs');
  if (!existsSync(preload)) writeFileSync(preload, PRELOAD);
  return {
    NODE_OPTIONS: `--import ${pathToFileURL(preload).href}`,
    FEATURES_TEST_CLOCK_OFFSET_MS: String(world.now() - Date.now()),
  };
}

/** A feature test's CLI: on the world's clock, with a config file. */
export interface FeatureCli {
  pass(extra?: Record<string, string | undefined>): Promise<PassSummary>;
  cli(args: readonly string[], extra?: Record<string, string | undefined>): Promise<CliResult>;
  daemon(extra?: Record<string, string | undefined>): Promise<Daemon>;
}

export function featureCli(world: World, config: () => string, extra: () => Record<string, string | undefined> = () => ({})): FeatureCli {
  const env = (more: Record<string, string | undefined> = {}): Record<string, string | undefined> => ({
    ...onWorldClock(world),
    RECONCILER_CONFIG: config(),
    LOG_LEVEL: 'info',
    ...extra(),
    ...more,
  });
  return {
    pass: (more) => world.pass([], env(more)),
    cli: (args, more) => world.cli(args, env(more)),
    daemon: (more) => startDaemon(world, env(more)),
  };
}

export interface Daemon {
  process: CliProcess;
  metricsUrl: string;
  /** Log records with this message so far. */
  logged(msg: string): Array<Record<string, unknown>>;
  /** Waits until `count` passes have completed since the daemon started. */
  passes(count: number): Promise<void>;
  /** Waits until `count` (default 1) more passes have completed than have so far. */
  morePasses(count?: number): Promise<void>;
  kill(): Promise<void>;
  stop(): Promise<number | null>;
}

/** `daemon` as a child process with a 1 s interval and an ephemeral metrics port. */
export async function startDaemon(world: World, extra: Record<string, string | undefined>): Promise<Daemon> {
  const env = world.env({ RECONCILE_INTERVAL_SECONDS: '1', METRICS_PORT: '0', ...extra });
  const child = spawnCli(['daemon'], env);
  const logged = (msg: string): Array<Record<string, unknown>> => logRecords(child.lines).filter((r) => r.msg === msg);
  const passes = async (count: number): Promise<void> => {
    await waitFor(`${count} daemon passes`, () => logged('Pass completed').length >= count, 40_000);
  };
  const started = await waitFor('the daemon to start', () => logged('Daemon started')[0], 30_000).catch((error: unknown) => {
    child.child.kill('SIGKILL');
    throw new Error(`${String(error)}\nstderr:\n${child.stderr()}\nstdout:\n${child.lines.slice(-20).join('\n')}`);
  });
  return {
    process: child,
    metricsUrl: String(started.metrics),
    logged,
    passes,
    morePasses: (count = 1) => passes(logged('Pass completed').length + count),
    kill: async () => {
      child.child.kill('SIGKILL');
      await child.exited;
    },
    stop: async () => {
      child.child.kill('SIGTERM');
      return child.exited;
    },
  };
}

export { waitFor };

/**
 * SIGKILLs the daemon once the simulator has applied the first request that matches any of `matches`,
 * before it answers; waits (30 s) for that, disarms the rest and waits for the process to exit. Given a
 * way to start the daemon, the hooks are armed first, so a request of its very first pass is not missed.
 */
export async function killOnceApplied(faults: FaultInjector, matches: readonly RequestMatch[], daemon: Daemon | (() => Promise<Daemon>), what: string): Promise<void> {
  // Filled in below, before any request can arrive: hooks fire only on I/O, after this function goes on.
  const target: { started?: Promise<Daemon> } = {};
  const hooks = matches.map((match) =>
    faults.onRequest({
      match,
      stage: 'applied',
      run: async () => {
        await (await target.started)?.kill();
      },
    }),
  );
  target.started = typeof daemon === 'function' ? daemon() : Promise.resolve(daemon);
  const killed = await target.started;
  await waitFor(`the kill ${what}`, () => hooks.some((hook) => hook.fired()), 30_000);
  for (const hook of hooks) hook.cancel();
  await killed.process.exited;
}

/** The comments on a ticket whose hidden marker starts with `prefix` (`retry:`, `started:jira__SCR-1__1`). */
export function marked(jira: JiraSim, key: string, prefix: string): string[] {
  return jira
    .comments(key)
    .map((comment) => comment.text)
    .filter((text) => text.includes(`jira-airflow-reconciler ref ${prefix}`));
}

/** The DAG run ids Airflow holds for a ticket, in creation order. */
export function runIdsOf(runs: readonly SimDagRun[], key: string): string[] {
  return runs.filter((run) => run.conf.jira_issue_key === key).map((run) => run.dagRunId);
}

/** Every comment marker used at most once on the ticket: no duplicate comment of any kind. */
export function duplicateMarkers(jira: JiraSim, key: string): string[] {
  const markers = jira.comments(key).flatMap((comment) => /jira-airflow-reconciler ref (\S+)/.exec(comment.text)?.[1] ?? []);
  return markers.filter((marker, i) => markers.indexOf(marker) !== i);
}

/** The event a Slack message or mail subject tells of, from its wording (src/notify/message.ts). */
export function eventOf(text: string): string {
  if (/retrying|is being retried/.test(text)) return 'retry';
  if (/^Succeeded|succeeded/m.test(text)) return 'success';
  if (/^Rejected|was rejected/m.test(text)) return 'invalid';
  if (/^Cancelled|was cancelled/m.test(text)) return 'cancelled';
  if (/^Failed| failed/m.test(text)) return 'failed';
  return 'unknown';
}

export interface Mail {
  subject: string;
  messageId: string;
}

export interface MailSink {
  url: string;
  mails: Mail[];
  /** Stops listening: the mail server is down (connections refused). */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  start(): Promise<void>;
}

/** An SMTP server on a fixed loopback port that can go down and come back; keeps each mail's subject. */
export async function mailSink(): Promise<MailSink> {
  const { SMTPServer } = await import('smtp-server');
  const mails: Mail[] = [];
  let server: InstanceType<typeof SMTPServer> | null = null;
  let port = 0;
  const start = async (): Promise<void> => {
    const next = new SMTPServer({
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, _session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const head = Buffer.concat(chunks).toString('utf8').split(/\r?\n\r?\n/, 1)[0]!.replace(/\r?\n[ \t]+/g, ' ');
          const header = (name: string): string =>
            head
              .split(/\r?\n/)
              .find((line) => line.toLowerCase().startsWith(`${name}:`))
              ?.slice(name.length + 1)
              .trim() ?? '';
          mails.push({ subject: header('subject'), messageId: header('message-id') });
          callback();
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      next.server.once('error', reject);
      next.listen(port, '127.0.0.1', () => resolve());
    });
    port = (next.server.address() as { port: number }).port;
    server = next;
  };
  await start();
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    start,
    stop: async () => {
      const current = server;
      server = null;
      if (current) await new Promise<void>((resolve) => current.close(() => resolve()));
    },
  };
}

/** Slack and e-mail on `events` (a YAML list), and one retry for a run failed by an HTTP 503. */
export function notifyConfig(events: string): string {
  return `retry:
  attempts: 2
  delaySeconds: 60
  when: ["HTTP 503"]
notifications:
  slack:
    on: ${events}
  email:
    on: ${events}
    to: ops@example.com
    from: reconciler@example.com
`;
}
