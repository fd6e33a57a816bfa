import type { App, Work } from '../app.js';
import { Leadership } from '../lease/leadership.js';
import type { CurrentLease } from '../lease/lease-port.js';
import type { PgStore } from '../store/pg/pg-store.js';
import { PassError, runPass } from '../reconcile/pass.js';
import { WorkQueue } from '../reconcile/queue.js';
import type { DaemonOptions } from './daemon.js';
import { startHealthServer } from './health-server.js';
import { PassLoop, workUntil } from './pass-loop.js';
import { isReady, leadershipReadiness } from './readiness.js';
import { scheduleOf, type Schedule } from './schedule.js';
import { stopSignals } from './stop-signals.js';

type ReplicaApp = App & { state: { backend: 'postgres'; store: PgStore } };

/**
 * The daemon as one replica of several on a PostgreSQL state database (CONTRACT §7): it stands by until
 * it holds the leader lease, then runs passes on the schedule until the lease is lost or the process
 * stops. Each term has its own upstream clients and outbox sender, stopped within seconds when the lease
 * cannot be renewed. SIGTERM ends the term, gives the lease back (a standby takes over at once) and exits 0.
 */
export async function runReplica(app: ReplicaApp, options: DaemonOptions): Promise<number> {
  const { config, log, metrics } = app;
  const { clock } = options;
  const schedule = scheduleOf(config);
  const intervalMs = schedule.intervalMs();
  let lastSuccess: Date | null = null;
  let lastError: string | null = null;
  let loop: PassLoop | null = null;
  let leader: CurrentLease | null = null;
  // The term's Airflow clients, while this process leads: which environments' Airflow is down.
  let airflows: Work['airflows'] | null = null;

  const leadership = new Leadership({
    lease: app.state.lease,
    leaseSeconds: app.state.leaseSeconds,
    clock,
    log,
    observer: metrics,
    onLead: async (signal, fence) => {
      const work = await app.newTerm(signal, fence);
      // One per term, as the single daemon has one for its life: it owns the workers' slots, and a ticket set
      // aside is worked by itself when due. The term's stop drops their waits.
      const queue = new WorkQueue(clock, log, { concurrency: config.http.concurrency });
      const term = termLoop(app, { ...work, pass: { ...work.pass, queue } }, schedule, options, {
        passed: () => {
          lastSuccess = clock.now();
          lastError = null;
        },
        failed: (message) => (lastError = message),
      });
      loop = term;
      airflows = work.airflows;
      const stopTerm = (): void => term.stop();
      if (signal.aborted) stopTerm();
      else signal.addEventListener('abort', stopTerm, { once: true });
      // What the last leader left in the outbox goes out now, not after this term's first pass.
      work.drainer?.kick();
      try {
        await term.run();
      } finally {
        await queue.idle();
        loop = null;
        airflows = null;
        lastSuccess = null;
        await work.drainer?.stop();
      }
    },
    onStandby: (current) => {
      leader = current;
    },
  });

  const server = await startHealthServer({
    host: config.metrics.host,
    port: config.metrics.port,
    registry: metrics.registry,
    readiness: () => {
      const status = leadership.status();
      const passReady = isReady(lastSuccess, clock.now(), intervalMs, lastError !== null);
      const { ready, detail } = leadershipReadiness(status, passReady);
      // As on one host: an environment's Airflow that is down fails only its tickets; a standby asks none.
      const down = airflows?.down() ?? [];
      return { ready, detail: { ...detail, lastSuccess: lastSuccess?.toISOString() ?? null, lastError, intervalSeconds: intervalMs / 1000, airflowDown: down } };
    },
  });
  options.onListening?.(server.url);

  const signals = stopSignals(options, log, config.schedule.stopTimeoutSeconds, {
    stop: () => {
      leadership.stop();
      app.stopWork();
    },
    passNow: () => {
      if (loop) {
        log.info('SIGUSR1: a pass was asked for');
        loop.requestPass('signal');
        return;
      }
      const current = leader ?? leadership.status().leader;
      log.info(
        { leader: current ? { host: current.hostname, pid: current.pid, since: current.acquiredAt.toISOString() } : null },
        current ? `SIGUSR1 ignored: this process stands by; the leader (pid ${current.pid} on ${current.hostname}) runs the passes` : 'SIGUSR1 ignored: this process stands by and no process leads right now',
      );
    },
  });
  log.info({ metrics: `${server.url}/metrics`, schedule: schedule.describe(), database: app.state.store.describe(), leaseSeconds: app.state.leaseSeconds }, 'Daemon started');

  let code: number;
  try {
    code = await signals.until(leadership.run().then(() => 0));
  } finally {
    signals.release();
    await server.close();
    if (!signals.forced) await app.close();
  }
  if (code === 0) log.info('Daemon stopped');
  else log.warn({ code }, 'Daemon stopped without finishing cleanly');
  if (signals.forced) options.exit?.(code);
  return code;
}

/** One term's passes on the schedule; a pass's failure is kept for /readyz, the loop goes on. */
function termLoop(app: App, work: Work, schedule: Schedule, options: DaemonOptions, on: { passed(): void; failed(message: string): void }): PassLoop {
  const { log, metrics } = app;
  return new PassLoop({
    clock: options.clock,
    schedule,
    onOverrun: () => {
      metrics.passOverruns.inc();
      log.warn('A pass ran past its interval; the next one starts late');
    },
    runPass: async () => {
      try {
        // The pass ends by the next poll whatever its tickets are doing; what is still worked then goes on by itself.
        await runPass(work.pass, { workUntil: workUntil(options.clock.now(), schedule.intervalMs()) });
        on.passed();
      } catch (error) {
        on.failed(error instanceof PassError ? error.message : error instanceof Error ? error.message : String(error));
        if (!(error instanceof PassError)) log.error({ err: error }, 'The pass failed unexpectedly; the next one runs on schedule');
      }
    },
  });
}
