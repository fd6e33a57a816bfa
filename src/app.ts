import { hostname } from 'node:os';
import { createAirflowGateways, type AirflowRouter } from './airflow/environments.js';
import type { AirflowGateway } from './airflow/gateway.js';
import type { Clock } from './clock.js';
import { compileParamsCheck, compileParamsSchemas } from './config/params-schema.js';
import type { Config } from './config/schema.js';
import { secretValues } from './config/secrets.js';
import type { JiraGateway } from './jira/gateway.js';
import type { Drainer } from './notify/drainer.js';
import type { Notifier } from './notify/notifier.js';
import { PendingRecords } from './notify/pending-records.js';
import { createJiraGateway } from './jira/jira-gateway.js';
import { createLogger, type Logger } from './observability/logger.js';
import { Metrics } from './observability/metrics.js';
import { IndexLag } from './reconcile/index-lag.js';
import type { PassDeps } from './reconcile/pass.js';
import { holderIdentity } from './lease/holder-id.js';
import { holdLeaseOnce } from './lease/hold-once.js';
import type { Lease } from './lease/lease-port.js';
import type { Fence } from './lease/lease-table.js';
import { PgLease } from './lease/pg-lease.js';
import { guardRequests, maxWriteTimeoutMs } from './lease/write-guard.js';
import type { Outbox } from './store/outbox-repo.js';
import { openState } from './store/open-state.js';
import type { PgStore } from './store/pg/pg-store.js';
import type { RunStore } from './store/run-store.js';
import type { SqliteStore } from './store/sqlite-store.js';

/** The outside world a command runs in; tests pass their own. */
export interface Runtime {
  env: NodeJS.ProcessEnv;
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  clock: Clock;
  /** Test doubles for the upstreams; the real adapters otherwise. */
  jira?: JiraGateway;
  airflow?: AirflowGateway;
}

export interface App {
  config: Config;
  log: Logger;
  metrics: Metrics;
  /** The state, on SQLite or PostgreSQL: the engine awaits every call. */
  store: EngineStore;
  /** Which backend, with what only it has: SQLite's single-writer lock, PostgreSQL's leader lease. */
  state: AppState;
  /** The Airflow of each environment (one shared gateway where they share an Airflow). */
  airflows: AirflowRouter;
  pass: PassDeps;
  /** Sends the outbox beside the pass, woken as notifications are queued; null when none are configured. */
  drainer: Drainer | null;
  /** Stops the work in hand: drops every wait and backoff and sends nothing new (SIGTERM); requests on the wire finish. */
  stopWork(): void;
  /**
   * The work of one leadership term (PostgreSQL daemon): its own upstream clients, pass and outbox
   * sender, all stopped by `stop` (the term's end or the process's); store writes carry `fence`.
   */
  newTerm(stop: AbortSignal, fence: Fence): Promise<Work>;
  close(): Promise<void>;
}

/** What a pass works with, and how to stop it. */
export interface Work {
  airflows: AirflowRouter;
  pass: PassDeps;
  drainer: Drainer | null;
}

/** What the engine needs of either backend's store. */
export type EngineStore = RunStore & { readonly outbox: Outbox; readonly readOnly: boolean };

export type AppState =
  | { backend: 'sqlite'; store: SqliteStore }
  | {
      backend: 'postgres';
      store: PgStore;
      /** The leader lease: the daemon's Leadership takes it; a one-shot command holds it while it runs. */
      lease: Lease;
      leaseSeconds: number;
    };

export interface AppOptions {
  /** Who holds the store lock: shown to a second process. */
  command: string;
  /** Log destination: the daemon logs to stdout (journald), one-shot commands to stderr. */
  logTo: 'stdout' | 'stderr';
  processMetrics?: boolean;
  /** A dry run never writes: it reads the store without taking the lock. */
  readOnlyStore?: boolean;
}

/** The one composition root: real collaborators, or the runtime's doubles. */
export async function createApp(config: Config, runtime: Runtime, options: AppOptions): Promise<App> {
  const log = loggerFor(config, runtime, options.logTo);
  const metrics = new Metrics({ processMetrics: options.processMetrics ?? false });
  const stopping = new AbortController();
  const readOnly = options.readOnlyStore ?? false;
  let fence: Fence | null = null;
  const state = await openAppState(config, runtime, options, log, () => fence);
  const { store } = state;
  const leading = state.backend === 'postgres';
  // A one-shot writer on PostgreSQL leads for as long as it runs (renewing as a leader does), or is refused
  // naming who leads. A renew that fails stops its work: it must not write past its lease.
  let renewing: NodeJS.Timeout | null = null;
  if (state.backend === 'postgres' && !readOnly && options.command !== 'daemon') {
    try {
      fence = await holdLeaseOnce(state.lease, options.command, runtime.clock, config.lockWaitMs);
    } catch (error) {
      await Promise.allSettled([state.lease.close(), state.store.close()]);
      throw error;
    }
    const { lease } = state;
    renewing = setInterval(() => {
      lease.renew().then(
        (result) => {
          if (!result.renewed) stopping.abort();
        },
        (error: unknown) => log.warn({ err: error }, 'Could not renew the lease; the pass stops when it runs low'),
      );
    }, (state.leaseSeconds * 1000) / 3);
    renewing.unref();
  }
  // Under a lease a send, like any upstream write, must end while the lease is known valid.
  const notifiers = await notifiersFor(config, state.backend === 'postgres' ? maxWriteTimeoutMs(state.leaseSeconds) : undefined);
  const unrecorded = new PendingRecords(async (id) => {
    await store.outbox.markSent(id, runtime.clock.now());
  }, log);
  const shared: Shared = { config: leading ? leaseBoundConfig(config, state.leaseSeconds, log) : config, runtime, log, metrics, store, notifiers, state, unrecorded };
  // The PostgreSQL daemon works only in its terms as leader (newTerm); its process-wide work sends nothing.
  const work = await buildWork(shared, stopping.signal, { drain: !readOnly && !(leading && options.command === 'daemon') });
  const close = async (): Promise<void> => {
    if (renewing) clearInterval(renewing);
    unrecorded.stop();
    void work.drainer?.stop();
    for (const notifier of notifiers.values()) notifier.close();
    if (state.backend === 'postgres') {
      if (fence) await state.lease.release(`${options.command} ended`).catch(() => undefined);
      await state.lease.close().catch(() => undefined);
      await state.store.close();
    } else state.store.close();
  };
  return {
    config,
    log,
    metrics,
    store,
    state,
    airflows: work.airflows,
    pass: work.pass,
    drainer: work.drainer,
    stopWork: () => stopping.abort(),
    newTerm: async (stop, termFence) => {
      // Kept after the term is stopped, while its last writes finish (a send's "sent"): the database
      // refuses them once the lease has passed to another epoch.
      fence = termFence;
      return buildWork(shared, AbortSignal.any([stop, stopping.signal]), { drain: true });
    },
    close,
  };
}

interface Shared {
  config: Config;
  runtime: Runtime;
  log: Logger;
  metrics: Metrics;
  store: EngineStore;
  notifiers: Map<string, Notifier>;
  state: AppState;
  /** Deliveries whose `sent` record failed, recorded again promptly, leading or not (pending-records.ts). */
  unrecorded: PendingRecords;
}

/** Upstream clients, the pass's dependencies and the outbox sender, all stopped by `stop`. */
async function buildWork(shared: Shared, stop: AbortSignal, options: { drain: boolean }): Promise<Work> {
  const { config, runtime, log, metrics, store, notifiers, state } = shared;
  const leaseGuard = state.backend === 'postgres' ? guardRequests(state.lease, state.leaseSeconds) : null;
  const guard = leaseGuard ? { leaseGuard } : {};
  const deps = { config, clock: runtime.clock, log, observer: metrics, stop, ...guard };
  const jira = runtime.jira ?? createJiraGateway(deps);
  const airflows = createAirflowGateways({ ...deps, ...(runtime.airflow ? { create: () => runtime.airflow as AirflowGateway } : {}) });
  const airflow = airflows.forEnvironment(null);
  const validators = compileParamsSchemas(config);
  const pass: PassDeps = {
    config,
    jira,
    airflow,
    airflows,
    store,
    clock: runtime.clock,
    log,
    metrics,
    paramsProblems: (source, params) => validators.get(source)?.(params) ?? [],
    checkParams: compileParamsCheck(config.sources),
    // One per process: a daemon learns the index lag pass by pass; a one-shot pass uses the configured overlap.
    indexLag: new IndexLag(config.jira.cursorOverlapMinutes * 60_000),
    stop,
  };
  let drainer: Drainer | null = null;
  if (notifiers.size > 0 && options.drain) {
    const [{ drainOutbox }, { createDrainer }] = await Promise.all([import('./notify/drain.js'), import('./notify/drainer.js')]);
    const sendTimeoutMs = state.backend === 'postgres' ? Math.min(config.http.timeoutMs, maxWriteTimeoutMs(state.leaseSeconds)) : 0;
    const beforeSend = leaseGuard ? { beforeSend: () => leaseGuard({ write: true, timeoutMs: sendTimeoutMs }) } : {};
    const active = createDrainer(() => drainOutbox({ outbox: store.outbox, notifiers, clock: runtime.clock, log, counter: metrics.notifications, unrecorded: shared.unrecorded, ...beforeSend }));
    await releaseDeadClaims(store, runtime.clock, log);
    // A message goes out once its write-back is recorded; the pass's end flushes what is still due.
    const unlisten = store.outbox.onEnqueue(() => active.kick());
    stop.addEventListener('abort', unlisten);
    pass.deliver = () => active.flush();
    drainer = active;
  }
  return { airflows, pass, drainer };
}

async function openAppState(config: Config, runtime: Runtime, options: AppOptions, log: Logger, fence: () => Fence | null): Promise<AppState> {
  const leaseSeconds = config.ha.leaseSeconds;
  const store = await openState(config, {
    clock: runtime.clock,
    command: options.command,
    lockWaitMs: config.lockWaitMs,
    readOnly: options.readOnlyStore ?? false,
    log,
    fence,
    // A writer frozen inside a transaction must not hold the lease row past a fifth of the lease.
    pool: { idleInTransactionMs: Math.max(1_000, (leaseSeconds * 1_000) / 5) },
  });
  if ('backend' in store) {
    const lease = new PgLease({ connection: { connectionString: config.secrets.databaseUrl }, leaseSeconds, identity: holderIdentity(options.command) });
    return { backend: 'postgres', store, lease, leaseSeconds };
  }
  if (store.tookOverLockFrom) {
    log.warn({ previous: store.tookOverLockFrom, host: hostname() }, 'Took over the state lock from a process that is gone');
  }
  return { backend: 'sqlite', store };
}

/**
 * Under a lease every write must fit in the time the lease is known valid: the request timeout is
 * capped so a leader can always send (see maxWriteTimeoutMs).
 */
function leaseBoundConfig(config: Config, leaseSeconds: number, log: Logger): Config {
  const cap = maxWriteTimeoutMs(leaseSeconds);
  if (config.http.timeoutMs <= cap) return config;
  log.info({ timeoutMs: cap, configured: config.http.timeoutMs, leaseSeconds }, 'Request timeout lowered to fit the leader lease: a write must end while the lease is known valid');
  return { ...config, http: { ...config.http, timeoutMs: cap } };
}

/**
 * A claimed notification whose sender is gone (SQLite: this process holds the writer's lock; PostgreSQL:
 * the claim is of an older epoch) is a send cut short. It is due now, not when its lease ends.
 */
async function releaseDeadClaims(store: EngineStore, clock: Clock, log: Logger): Promise<void> {
  const released = await store.outbox.releaseClaims(clock.now());
  if (released > 0) log.warn({ released }, 'Notifications a stopped process was sending are due again now');
}

/** The notification channels the config turns on; their mail and HTTP clients load only then. */
async function notifiersFor(config: Config, maxTimeoutMs?: number): Promise<Map<string, Notifier>> {
  if (!config.notifications.slack && !config.notifications.email) return new Map();
  const { createNotifiers, NOTIFY_TIMEOUT_MS } = await import('./notify/create-notifiers.js');
  return createNotifiers(config, Math.min(NOTIFY_TIMEOUT_MS, maxTimeoutMs ?? NOTIFY_TIMEOUT_MS));
}

export function loggerFor(config: Pick<Config, 'logLevel' | 'secrets'>, runtime: Runtime, to: 'stdout' | 'stderr'): Logger {
  const destination = to === 'stdout' ? runtime.stdout : runtime.stderr;
  const secrets = secretValues(config.secrets);
  return createLogger({
    level: config.logLevel,
    pretty: destination.isTTY === true,
    secrets,
    destination,
  });
}
