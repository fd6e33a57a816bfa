import { setTimeout as sleep } from 'node:timers/promises';
import { logRecords, spawnCli, type CliProcess } from '../support/built-cli.js';

/** Real time between two looks at the world; every wait is bounded by a count of these. */
export const POLL_MS = 100;

/** Polls until `probe` holds or `maxPolls` looks are used up; `onPoll` runs once per look (e.g. to drive a clock). */
export async function pollUntil(maxPolls: number, probe: () => boolean, onPoll: () => void = () => undefined): Promise<boolean> {
  for (let poll = 0; poll < maxPolls; poll++) {
    if (probe()) return true;
    onPoll();
    await sleep(POLL_MS);
  }
  return probe();
}

/** A count of looks shared by many waits, so a slow product cannot stretch the suite past it. */
export class LookBudget {
  used = 0;

  constructor(readonly total: number) {}

  get left(): number {
    return Math.max(0, this.total - this.used);
  }

  /** Like pollUntil, with at most `maxPolls` looks and never more than the budget has left. */
  async until(maxPolls: number, probe: () => boolean, onPoll: () => void = () => undefined): Promise<boolean> {
    return pollUntil(Math.min(maxPolls, this.left), probe, () => {
      this.used += 1;
      onPoll();
    });
  }
}

/** The daemon under test, restarted after every kill; counts what happened to it. */
export class DaemonRig {
  private current: CliProcess | null = null;
  starts = 0;
  kills = 0;
  /** When each kill was sent (ms): a 429 told to a killed process cannot hold its successor. */
  readonly killedAt: number[] = [];
  /** Each process's life (ms), from its start to its kill or stop; `to` is null while it runs. */
  readonly lives: Array<{ from: number; to: number | null }> = [];
  /** stderr of every process, for the failure message. */
  private readonly stderrs: string[] = [];
  /** stdout lines (pino records) of every process, for tracing one ticket when it did not finish. */
  private readonly outputs: string[][] = [];

  constructor(private readonly env: Record<string, string>) {}

  get running(): boolean {
    return this.current !== null && this.current.child.exitCode === null && this.current.child.signalCode === null;
  }

  /**
   * Starts a daemon and waits (bounded) until it says it started, or until a hook killed it on one of
   * its start-up requests; throws with its stderr when it stopped by itself.
   */
  async start(): Promise<void> {
    const daemon = spawnCli(['daemon'], this.env);
    this.current = daemon;
    this.outputs.push(daemon.lines);
    this.starts += 1;
    this.lives.push({ from: Date.now(), to: null });
    const settled = await pollUntil(300, () => this.hasLogged('Daemon started') || !this.running);
    if (daemon.child.signalCode === 'SIGKILL') return;
    if (!settled || !this.running) {
      throw new Error(`daemon start ${this.starts} failed (exit ${daemon.child.exitCode}):\n${daemon.stderr()}\n${daemon.lines.slice(-20).join('\n')}`);
    }
  }

  /** SIGKILL, as a crash or the OOM killer would; resolves once the process is gone. */
  async kill(): Promise<void> {
    const daemon = this.current;
    if (!daemon || !this.running) return;
    this.killedAt.push(Date.now());
    this.ended();
    this.kills += 1;
    daemon.child.kill('SIGKILL');
    await daemon.exited;
    this.stderrs.push(daemon.stderr());
  }

  exitCode(): number | null {
    return this.current?.child.exitCode ?? null;
  }

  /** Asks for a pass now; only once the daemon said it started (before, SIGUSR1 would end it). */
  askForPass(): void {
    if (this.running && this.hasLogged('Daemon started')) this.current?.child.kill('SIGUSR1');
  }

  /** Passes the current process logged as completed or failed. */
  passesEnded(): number {
    return (this.current?.lines ?? []).filter((line) => line.includes('"msg":"Pass completed"') || line.includes('"msg":"Pass failed"')).length;
  }

  /** Stops gracefully with SIGTERM; returns the exit code (null when it had to be killed). */
  async stop(): Promise<number | null> {
    const daemon = this.current;
    if (!daemon || !this.running) return daemon?.child.exitCode ?? null;
    this.ended();
    daemon.child.kill('SIGTERM');
    const stopped = await pollUntil(600, () => !this.running);
    if (!stopped) await this.kill();
    return daemon.child.exitCode;
  }

  stderr(): string {
    return [...this.stderrs, this.current?.stderr() ?? ''].join('\n');
  }

  /** The last `count` log lines of every process that mention `text` (a ticket key, a DAG run id). */
  linesAbout(text: string, count = 25): string[] {
    return this.outputs.flat().filter((line) => line.includes(text)).slice(-count);
  }

  private ended(): void {
    const life = this.lives.at(-1);
    if (life && life.to === null) life.to = Date.now();
  }

  private hasLogged(msg: string): boolean {
    return logRecords(this.current?.lines ?? []).some((record) => record.msg === msg);
  }
}
