import type { AirflowGateway, Dag } from '../../airflow/gateway.js';
import type { Clock } from '../../clock.js';
import type { JiraGateway, TransitionCache } from '../../jira/gateway.js';
import type { Logger } from '../../observability/logger.js';
import type { Metrics } from '../../observability/metrics.js';
import type { RunRecord } from '../../store/run-record.js';
import type { RunStore } from '../../store/run-store.js';
import type { DecideRules, Situation } from '../decide.js';
import type { Effects } from '../effects.js';
import type { NotificationsFor } from '../notifications.js';
import type { Slots } from '../slots.js';
import type { TicketOutcome } from '../summary.js';

/** What every step of a ticket's work may use; built once per pass. */
export interface WorkContext {
  /** The rules of the ticket at hand (its project's); set per ticket from rulesFor. */
  rules: DecideRules;
  rulesFor: (issueKey: string) => DecideRules;
  jira: JiraGateway;
  airflow: AirflowGateway;
  store: RunStore;
  effects: Effects;
  clock: Clock;
  log: Logger;
  metrics: Metrics;
  resultTaskId: string;
  /** Check `conf.params` against the DAG's declared params before triggering (airflow.checkDagParams). */
  checkDagParams: boolean;
  /** One DAG lookup per DAG per pass. */
  dags: Map<string, Promise<Dag | null>>;
  /** DAG runs Airflow created in this pass: no comment about them can exist yet. */
  createdRuns: Set<string>;
  /** DAG runs this pass found existing (a 409): an earlier life may have commented on them already. */
  adoptedRuns: Set<string>;
  /** The notifications an event calls for, queued with the record update that says it happened. */
  notificationsFor: NotificationsFor;
  /** The in-flight caps, taken as requests start. */
  slots: Slots;
  /** Transitions looked up once per project and status in this pass. */
  transitions: TransitionCache;
  /**
   * Resolves when Airflow answers at all (its /version), once per pass: a 404 for a DAG or a run is only
   * believed then, so a wrong base URL or API version fails the pass instead of the tickets.
   */
  airflowAnswers: () => Promise<void>;
}

/** What a performed decision leaves: a new situation to decide on again, or the end of this pass's work. */
export interface Step {
  situation?: Situation;
  outcome?: TicketOutcome;
  detail?: string;
}

export function asOutcome(state: string): TicketOutcome {
  switch (state) {
    case 'success':
      return 'succeeded';
    case 'failed':
      return 'failed';
    case 'cancelled':
      return 'cancelled';
    case 'invalid':
      return 'rejected';
    case 'queued':
      return 'queued';
    default:
      return 'running';
  }
}

export function countFinished(record: RunRecord, ctx: WorkContext): void {
  ctx.metrics.finished.inc({ source: record.source ?? 'unknown', state: record.state });
}
