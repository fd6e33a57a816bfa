import pg from 'pg';
import { logRecords, spawnCli, type CliProcess } from '../support/built-cli.js';
import { pollUntil } from '../fault/daemon-rig.js';

/** One row of `leader_history`: an epoch and the span its holder was entitled to write in (database clock). */
export interface Tenure {
  epoch: number;
  hostname: string;
  pid: number;
  acquiredAt: number;
  expiresAt: number;
}

/** The `pid <n>` of the reconciler's User-Agent (src/http/user-agent.ts): which process sent a request. */
export function pidOf(userAgent: string | undefined): number | null {
  const match = /pid (\d+)\)/.exec(userAgent ?? '');
  return match ? Number(match[1]) : null;
}

/** Reads the lease tables the daemons share. */
export class LeaseWatch {
  private readonly pool: pg.Pool;

  constructor(databaseUrl: string) {
    this.pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
    this.pool.on('error', () => undefined);
  }

  /** The pid of the process whose lease is live now, by the database's clock; null when none leads. */
  async leaderPid(): Promise<number | null> {
    const result = await this.pool.query<{ pid: number }>('SELECT pid FROM leader_lease WHERE id = 1 AND expires_at > now()');
    return result.rows[0]?.pid ?? null;
  }

  async history(): Promise<Tenure[]> {
    const result = await this.pool.query<{ epoch: string; hostname: string; pid: number; acquired_at: Date; expires_at: Date; ended_at: Date | null }>(
      'SELECT epoch, hostname, pid, acquired_at, expires_at, ended_at FROM leader_history ORDER BY epoch',
    );
    return result.rows.map((row) => ({
      epoch: Number(row.epoch),
      hostname: row.hostname,
      pid: row.pid,
      acquiredAt: row.acquired_at.getTime(),
      // A lease given back early ends when it was given back.
      expiresAt: Math.min(row.expires_at.getTime(), row.ended_at?.getTime() ?? Number.POSITIVE_INFINITY),
    }));
  }

  /** Ends the database sessions of one process (its pid is in its application_name), as a cut network would. */
  async cut(pid: number): Promise<number> {
    const result = await this.pool.query(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE $1 AND pid <> pg_backend_pid()",
      [`%pid ${pid}%`],
    );
    return result.rowCount ?? 0;
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}

/** One replica: a `daemon` process, restarted after a kill as systemd's Restart= would restart it. */
export class ReplicaRig {
  private current: CliProcess | null = null;
  private readonly outputs: string[][] = [];
  private readonly stderrs: string[] = [];
  starts = 0;

  constructor(
    readonly name: string,
    private readonly env: Record<string, string>,
  ) {}

  get running(): boolean {
    return this.current !== null && this.current.child.exitCode === null && this.current.child.signalCode === null;
  }

  pid(): number | null {
    return this.running ? (this.current?.child.pid ?? null) : null;
  }

  /** Starts the daemon and waits (bounded) until its health server is up; throws with its stderr if it stopped. */
  async start(): Promise<void> {
    const daemon = spawnCli(['daemon'], this.env);
    this.current = daemon;
    this.outputs.push(daemon.lines);
    this.starts += 1;
    const up = await pollUntil(300, () => logRecords(daemon.lines).some((record) => record.msg === 'Daemon started') || !this.running);
    if (!up || !this.running) throw new Error(`${this.name} did not start (exit ${daemon.child.exitCode}):\n${daemon.stderr()}\n${daemon.lines.slice(-20).join('\n')}`);
  }

  async kill(): Promise<void> {
    const daemon = this.current;
    if (!daemon || !this.running) return;
    daemon.child.kill('SIGKILL');
    await daemon.exited;
    this.stderrs.push(daemon.stderr());
  }

  /** SIGSTOP: the process keeps its sockets and its database session, and does nothing. */
  freeze(): void {
    this.current?.child.kill('SIGSTOP');
  }

  thaw(): void {
    this.current?.child.kill('SIGCONT');
  }

  /** SIGTERM; the exit code, or null when it had to be killed. */
  async stop(): Promise<number | null> {
    const daemon = this.current;
    if (!daemon || !this.running) return daemon?.child.exitCode ?? null;
    daemon.child.kill('SIGCONT');
    daemon.child.kill('SIGTERM');
    const stopped = await pollUntil(600, () => !this.running);
    if (!stopped) await this.kill();
    return daemon.child.exitCode;
  }

  /** Log records of every life of this replica with the given message. */
  records(msg: string): Array<Record<string, unknown>> {
    return this.outputs.flatMap((lines) => logRecords(lines)).filter((record) => record.msg === msg);
  }

  /** What process `pid` (a life of this replica) logged between two times (epoch ms), in order. */
  recordsOf(pid: number, from: number, to: number): Array<Record<string, unknown>> {
    return this.outputs
      .flatMap((lines) => logRecords(lines))
      .filter((record) => record.pid === pid && typeof record.time === 'number' && record.time >= from && record.time <= to);
  }

  stderr(): string {
    return [...this.stderrs, this.current?.stderr() ?? ''].join('\n');
  }

  linesAbout(text: string, count = 20): string[] {
    return this.outputs.flat().filter((line) => line.includes(text)).slice(-count);
  }
}
