import type { App } from '../app.js';
import type { SqliteStore } from '../store/sqlite-store.js';
import type { Clock } from '../clock.js';
import { PassError, runPass } from '../reconcile/pass.js';
import { WorkQueue } from '../reconcile/queue.js';
import { startHealthServer } from './health-server.js';
import { runReplica } from './replica.js';
import { PassLoop, workUntil } from './pass-loop.js';
import { isReady } from './readiness.js';
import { scheduleOf } from './schedule.js';
import { stopSignals } from './stop-signals.js';

/** What the daemon listens to: `process` in production, an EventEmitter in tests. */
export interface SignalSource {
  on(signal: NodeJS.Signals, listener: () => void): unknown;
  off(signal: NodeJS.Signals, listener: () => void): unknown;
}

export interface DaemonOptions {
  clock: Clock;
  signals: SignalSource;
  /** Called once the health server listens (tests read the URL). */
  onListening?: (url: string) => void;
  /**
   * Ends the process after a forced stop (second signal, or the stop deadline), once the lock is released:
   * the abandoned pass must not go on writing after another process may have taken the lock.
   */
  exit?: (code: number) => void;
}

const HEARTBEAT_MS = 30_000;

/**
 * Runs passes on the schedule until SIGTERM/SIGINT. The first signal stops taking new work and lets the
 * current pass finish (up to schedule.stopTimeoutSeconds); a second one stops at once. The store, and
 * with it the single-writer lock, is closed on every path. Resolves to the exit code.
 */
export async function runDaemon(app: App, options: DaemonOptions): Promise<number> {
  // On PostgreSQL the daemon is one replica of several: it works only while it holds the leader lease.
  if (app.state.backend === 'postgres') return runReplica({ ...app, state: app.state }, options);
  const { config, log, metrics } = app;
  const store = app.state.store;
  const { clock } = options;
  const schedule = scheduleOf(config);
  const intervalMs = schedule.intervalMs();
  let lastSuccess: Date | null = null;
  let lastError: string | null = null;
  let fatal: Error | null = null;

  const server = await startHealthServer({
    host: config.metrics.host,
    port: config.metrics.port,
    registry: metrics.registry,
    readiness: () => ({
      ready: isReady(lastSuccess, clock.now(), intervalMs, lastError !== null),
      // An environment's Airflow that is down fails only its tickets: named here, the daemon stays ready.
      detail: { lastSuccess: lastSuccess?.toISOString() ?? null, lastError, intervalSeconds: intervalMs / 1000, airflowDown: app.airflows.down() },
    }),
  });
  options.onListening?.(server.url);
  // A single host on SQLite leads for as long as it runs (reconciler_leader; the no-leader alert stays quiet).
  metrics.leading(true);

  // Lives as long as the daemon: a ticket set aside in one pass is worked by itself when due, and the next
  // passes leave it to that worker. It owns the workers' slots (http.concurrency).
  const queue = new WorkQueue(clock, log, { concurrency: config.http.concurrency });
  const loop = new PassLoop({
    clock,
    schedule,
    onOverrun: () => {
      metrics.passOverruns.inc();
      log.warn('A pass ran past its interval; the next one starts late');
    },
    runPass: async () => {
      try {
        store.heartbeat();
        // The pass ends by the next poll whatever its tickets are doing; what is still worked then goes on by itself.
        await runPass({ ...app.pass, queue }, { workUntil: workUntil(clock.now(), intervalMs) });
        lastSuccess = clock.now();
        lastError = null;
      } catch (error) {
        if (!(error instanceof PassError)) {
          fatal = error instanceof Error ? error : new Error(String(error));
          log.fatal({ err: error }, 'The daemon cannot go on');
          loop.stop();
          return;
        }
        lastError = error.message;
      }
    },
  });

  const heartbeat = setInterval(() => {
    try {
      store.heartbeat();
    } catch (error) {
      fatal = error instanceof Error ? error : new Error(String(error));
      log.fatal({ err: error }, 'Lost the state store lock; stopping');
      loop.stop();
    }
  }, HEARTBEAT_MS);
  heartbeat.unref();

  const signals = stopSignals(options, log, config.schedule.stopTimeoutSeconds, {
    stop: () => {
      loop.stop();
      // Requests on the wire finish (bounded by the HTTP timeout); waits, backoffs and work not begun are dropped.
      app.stopWork();
    },
    passNow: () => {
      log.info('SIGUSR1: a pass was asked for');
      loop.requestPass('signal');
    },
  });
  log.info({ metrics: `${server.url}/metrics`, schedule: schedule.describe(), db: config.db }, 'Daemon started');
  // What an earlier process left in the outbox goes out now, not after this process's first pass.
  app.drainer?.kick();

  // The workers left to themselves end too: the stop has dropped their waits, so only requests on the wire are waited for.
  const finished = loop
    .run()
    .then(() => {
      app.stopWork();
      return queue.idle();
    })
    .then(() => (fatal ? 1 : 0));
  let code: number;
  let pending: number | null;
  try {
    code = await signals.until(finished);
  } finally {
    clearInterval(heartbeat);
    signals.release();
    await server.close();
    // A send under way ends (by its own timeout at worst) before the store closes; a forced stop waits for nothing.
    if (!signals.forced) await app.drainer?.stop();
    // What is pending is in the state file (the records, and the cursor a cut-short pass kept): the next start resumes it.
    pending = unfinishedCount(store);
    await app.close();
  }
  if (code === 0) log.info({ pending }, 'Daemon stopped');
  else log.warn({ code }, 'Daemon stopped without finishing cleanly');
  if (signals.forced) options.exit?.(code);
  return code;
}

function unfinishedCount(store: SqliteStore): number | null {
  try {
    return store.unfinished().length;
  } catch {
    return null;
  }
}
