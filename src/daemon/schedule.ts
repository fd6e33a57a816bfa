import cron from 'node-cron';
import type { Config } from '../config/schema.js';

/** When passes are due: every N seconds, or on a cron expression. */
export interface Schedule {
  describe(): string;
  /** The normal gap between passes, for readiness (three of them without success = not ready). */
  intervalMs(): number;
  /** Interval schedules: how long to wait after a pass that started at `startedAt`. Cron: null (ticks wake the loop). */
  delayAfter(startedAt: Date, now: Date): number | null;
  /** Cron: starts calling `tick` on the expression; returns a stopper. */
  start(tick: () => void): () => void;
}

export function intervalSchedule(seconds: number): Schedule {
  const ms = seconds * 1000;
  return {
    describe: () => `every ${seconds}s`,
    intervalMs: () => ms,
    delayAfter: (startedAt, now) => startedAt.getTime() + ms - now.getTime(),
    start: () => () => undefined,
  };
}

export function cronSchedule(expression: string): Schedule {
  return {
    describe: () => `cron "${expression}"`,
    intervalMs() {
      const probe = cron.createTask(expression, () => undefined);
      const [a, b] = probe.getNextRuns(2);
      void probe.destroy();
      return a && b ? b.getTime() - a.getTime() : 60_000;
    },
    delayAfter: () => null,
    start(tick) {
      const task = cron.schedule(expression, tick, { noOverlap: false });
      return () => void task.destroy();
    },
  };
}

/** The daemon's schedule: the cron expression when the config has one, else the interval. */
export function scheduleOf(config: Pick<Config, 'schedule'>): Schedule {
  return config.schedule.cron ? cronSchedule(config.schedule.cron) : intervalSchedule(config.schedule.intervalSeconds);
}
