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
import { createJiraGateway } from './jira/jira-gateway.js';
import { createLogger, type Logger } from './observability/logger.js';
import { Metrics } from './observability/metrics.js';
import { IndexLag } from './reconcile/index-lag.js';
import type { PassDeps } from './reconcile/pass.js';
import { openStore, type SqliteStore } from './store/sqlite-store.js';

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
  store: SqliteStore;
  /** The Airflow of each environment (one shared gateway where they share an Airflow). */
  airflows: AirflowRouter;
  pass: PassDeps;
  /** Sends the outbox beside the pass, woken as notifications are queued; null when none are configured. */
  drainer: Drainer | null;
  /** Stops the work in hand: drops every wait and backoff and sends nothing new (SIGTERM); requests on the wire finish. */
  stopWork(): void;
  close(): void;
}

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
  const deps = { config, clock: runtime.clock, log, observer: metrics, stop: stopping.signal };
  const jira = runtime.jira ?? createJiraGateway(deps);
  const airflows = createAirflowGateways({ ...deps, ...(runtime.airflow ? { create: () => runtime.airflow as AirflowGateway } : {}) });
  const airflow = airflows.forEnvironment(null);
  const store = await openStore(config.db, {
    clock: runtime.clock,
    command: options.command,
    lockWaitMs: config.lockWaitMs,
    readOnly: options.readOnlyStore ?? false,
    log,
  });
  if (store.tookOverLockFrom) {
    log.warn({ previous: store.tookOverLockFrom, host: hostname() }, 'Took over the state lock from a process that is gone');
  }
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
    stop: stopping.signal,
  };
  const notifiers = await notifiersFor(config);
  let drainer: Drainer | null = null;
  if (notifiers.size > 0 && !store.readOnly) {
    const [{ drainOutbox }, { createDrainer }] = await Promise.all([import('./notify/drain.js'), import('./notify/drainer.js')]);
    const active = createDrainer(() => drainOutbox({ outbox: store.outbox, notifiers, clock: runtime.clock, log, counter: metrics.notifications }));
    releaseDeadClaims(store, runtime.clock, log);
    // A message goes out once its write-back is recorded; the pass's end flushes what is still due.
    store.outbox.onEnqueue(() => active.kick());
    pass.deliver = () => active.flush();
    drainer = active;
  }
  const close = (): void => {
    void drainer?.stop();
    for (const notifier of notifiers.values()) notifier.close();
    store.close();
  };
  return { config, log, metrics, store, airflows, pass, drainer, stopWork: () => stopping.abort(), close };
}

/**
 * This process holds the writer's lock, so no other process is sending: a claimed notification is a
 * send cut short by a process that died (SIGKILL, power loss). It is due now, not when its lease ends.
 */
function releaseDeadClaims(store: SqliteStore, clock: Clock, log: Logger): void {
  const released = store.outbox.releaseClaims(clock.now());
  if (released > 0) log.warn({ released }, 'Notifications a stopped process was sending are due again now');
}

/** The notification channels the config turns on; their mail and HTTP clients load only then. */
async function notifiersFor(config: Config): Promise<Map<string, Notifier>> {
  if (!config.notifications.slack && !config.notifications.email) return new Map();
  const { createNotifiers } = await import('./notify/create-notifiers.js');
  return createNotifiers(config);
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
