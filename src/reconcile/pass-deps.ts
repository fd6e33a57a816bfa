import type { AirflowRouter } from '../airflow/environments.js';
import type { AirflowGateway } from '../airflow/gateway.js';
import type { Clock } from '../clock.js';
import type { ParamsCheck } from '../config/params-schema.js';
import type { Config } from '../config/schema.js';
import type { JiraGateway } from '../jira/gateway.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { RunStore } from '../store/run-store.js';
import type { IndexLag } from './index-lag.js';
import type { WorkQueue } from './queue.js';

export interface PassDeps {
  config: Config;
  jira: JiraGateway;
  airflow: AirflowGateway;
  store: RunStore;
  clock: Clock;
  log: Logger;
  metrics: Metrics;
  paramsProblems: (source: string, params: Record<string, unknown>) => string[];
  /** Parameter schemas per source and run type, with defaults applied; used instead of paramsProblems. */
  checkParams?: ParamsCheck;
  /** One Airflow per environment that has its own (environments.<env>.airflowBaseUrl); `airflow` is the default. */
  airflows?: AirflowRouter;
  /** Sends the queued notifications after the pass's Jira work; never throws, bounded in time. */
  deliver?: () => Promise<void>;
  /** The Jira index lag the process has seen, sizing the change feed's overlap; without it, the configured overlap. */
  indexLag?: IndexLag;
  /** The daemon's work queue: a ticket that must wait is set aside with its due time rather than holding the pass. */
  queue?: WorkQueue;
  /** The process is stopping: items not yet begun are set aside, and so is one whose next request was not sent. */
  stop?: AbortSignal;
}

export interface PassOptions {
  dryRun?: boolean;
  /** Limit the pass to these tickets (read directly, whatever their status). */
  issueKeys?: readonly string[];
  /** Search all Ready tickets, ignoring the cursor. */
  fullSweep?: boolean;
  /**
   * When the next feed poll is due (the daemon's next pass): a ticket still being worked then is left to
   * its worker, counted as set aside, and the pass ends, so the feeds are polled on schedule.
   */
  workUntil?: Date;
}
