import type { Logger } from '../observability/logger.js';
import type { DaemonOptions } from './daemon.js';

export interface StopHandlers {
  /** The first SIGTERM/SIGINT: stop taking work, drop waits; requests on the wire finish. */
  stop(): void;
  /** SIGUSR1: a pass now. */
  passNow(): void;
}

export interface StopSignals {
  /**
   * Resolves with `finished`'s code, or with a forced stop's: 130 on a second signal, 1 when the work
   * did not end within the stop deadline.
   */
  until(finished: Promise<number>): Promise<number>;
  /** True once a forced stop won: nothing must be awaited after it, and the process must exit. */
  readonly forced: boolean;
  /** Stops listening and cancels the deadline. */
  release(): void;
}

/**
 * The daemon's signals: the first stop signal asks the work to end within `stopTimeoutSeconds`; a
 * second one, or the deadline, stops at once; SIGUSR1 asks for a pass.
 */
export function stopSignals(options: Pick<DaemonOptions, 'signals' | 'clock'>, log: Logger, stopTimeoutSeconds: number, handlers: StopHandlers): StopSignals {
  const { signals, clock } = options;
  let stopRequested = false;
  let forced = false;
  let forceStop: (code: number) => void = () => undefined;
  const forcedCode = new Promise<number>((resolve) => {
    forceStop = resolve;
  });
  const deadline = new AbortController();
  const onStop = (): void => {
    if (stopRequested) {
      log.warn('Second stop signal: stopping now without waiting for the pass');
      forceStop(130);
      return;
    }
    stopRequested = true;
    log.info({ deadlineSeconds: stopTimeoutSeconds }, 'Stopping: finishing the current pass');
    handlers.stop();
    void clock.sleep(stopTimeoutSeconds * 1000, deadline.signal).then(() => {
      if (deadline.signal.aborted) return;
      log.error('The pass did not finish before the stop deadline; stopping anyway');
      forceStop(1);
    });
  };
  const onPassNow = (): void => handlers.passNow();
  signals.on('SIGTERM', onStop);
  signals.on('SIGINT', onStop);
  signals.on('SIGUSR1', onPassNow);
  return {
    get forced() {
      return forced;
    },
    until: (finished) =>
      Promise.race([
        finished,
        forcedCode.then((code) => {
          forced = true;
          return code;
        }),
      ]),
    release: () => {
      deadline.abort();
      signals.off('SIGTERM', onStop);
      signals.off('SIGINT', onStop);
      signals.off('SIGUSR1', onPassNow);
    },
  };
}
