import type { App } from '../app.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../observability/logger.js';
import { StateDatabaseUnavailableError } from '../store/pg/pg-errors.js';
import type { SignalSource } from './daemon.js';

const FIRST_WAIT_MS = 1_000;
const LONGEST_WAIT_MS = 30_000;

/**
 * The daemon's app, once its state database answers. A PostgreSQL server that is down when the daemon
 * starts (a host booting before it, a failover of the database) is waited out with backoff, said once
 * when the wait starts and once when it ends, rather than exiting into a restart loop. Anything else
 * (bad credentials, a schema from a newer release) still fails at once. Null: stopped while waiting.
 */
export async function appWhenStateAnswers(create: () => Promise<App>, deps: { log: Logger; clock: Clock; signals: SignalSource }): Promise<App | null> {
  const stop = new AbortController();
  const onStop = (): void => stop.abort();
  deps.signals.on('SIGTERM', onStop);
  deps.signals.on('SIGINT', onStop);
  let waitMs = FIRST_WAIT_MS;
  let since: Date | null = null;
  try {
    for (;;) {
      try {
        const app = await create();
        if (since) deps.log.info({ waitedSeconds: Math.round((deps.clock.now().getTime() - since.getTime()) / 1000) }, 'The state database answers again; starting');
        return app;
      } catch (error) {
        if (!(error instanceof StateDatabaseUnavailableError)) throw error;
        if (!since) {
          since = deps.clock.now();
          deps.log.error({ err: error }, 'The state database does not answer; waiting for it (nothing is done meanwhile)');
        }
      }
      await deps.clock.sleep(waitMs, stop.signal);
      if (stop.signal.aborted) {
        deps.log.info('Stopped while waiting for the state database');
        return null;
      }
      waitMs = Math.min(LONGEST_WAIT_MS, waitMs * 2);
    }
  } finally {
    deps.signals.off('SIGTERM', onStop);
    deps.signals.off('SIGINT', onStop);
  }
}
