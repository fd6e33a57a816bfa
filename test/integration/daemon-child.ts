import { logRecords, spawnCli, waitFor, type CliProcess } from '../support/built-cli.js';
import type { ChildEnv } from './cli.js';

/** The built CLI's `daemon` as a child process, watched through its JSON log. */
export interface DaemonChild {
  process: CliProcess;
  /** Passes it has completed so far. */
  passes(): number;
  /** Polls (bounded) until `probe` holds; fails at once, with its log, if the daemon exits first. */
  until(what: string, probe: () => boolean): Promise<void>;
  /** Sends the signal and resolves with the exit code (null when killed by a signal it did not handle). */
  kill(signal: NodeJS.Signals): Promise<number | null>;
}

export function startDaemon(env: ChildEnv): DaemonChild {
  const child = spawnCli(['daemon'], env);
  let exitCode: number | null | undefined;
  void child.exited.then((code) => (exitCode = code));
  const passes = (): number => logRecords(child.lines).filter((record) => record.msg === 'Pass completed').length;
  return {
    process: child,
    passes,
    async until(what, probe) {
      await waitFor(what, () => {
        if (exitCode !== undefined) throw new Error(`the daemon exited (${String(exitCode)}) while waiting for ${what}:\n${child.lines.slice(-20).join('\n')}\n${child.stderr()}`);
        return probe();
      }, 30_000);
    },
    async kill(signal) {
      if (exitCode !== undefined) return exitCode;
      child.child.kill(signal);
      return child.exited;
    },
  };
}
