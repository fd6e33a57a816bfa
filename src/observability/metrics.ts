import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Upstream } from '../http/errors.js';
import type { HoldScopeKind } from '../http/limit-scope.js';
import type { LeadershipObserver } from '../lease/leadership.js';
import type { UpstreamObserver } from './upstream-observer.js';

/** prom-client's default gauges that promtool's naming lint refuses (a gauge must not end in _total). */
const LINT_FAILING_DEFAULTS = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

/** The metrics of CONTRACT §5, on a registry of their own (no global state). */
export class Metrics implements UpstreamObserver, LeadershipObserver {
  readonly registry = new Registry();
  readonly passes: Counter<'result'>;
  readonly passDuration: Histogram;
  readonly lastSuccess: Gauge;
  readonly passOverruns: Counter;
  readonly triggered: Counter<'source'>;
  readonly finished: Counter<'source' | 'state'>;
  readonly rejected: Counter<'reason'>;
  readonly inFlight: Gauge<'source'>;
  readonly upstreamRequests: Counter<'upstream' | 'code'>;
  readonly upstreamDuration: Histogram<'upstream'>;
  readonly upstreamThrottled: Counter<'upstream' | 'scope'>;
  readonly retries: Counter<'source'>;
  readonly stuck: Gauge<'source'>;
  readonly notifications: Counter<'channel' | 'result'>;
  readonly leader: Gauge;
  readonly leaderChanges: Counter;

  constructor(options: { processMetrics?: boolean } = {}) {
    const registers = [this.registry];
    this.passes = new Counter({ name: 'reconciler_passes_total', help: 'Reconcile passes by result.', labelNames: ['result'], registers });
    this.passDuration = new Histogram({
      name: 'reconciler_pass_duration_seconds',
      help: 'Duration of reconcile passes.',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
      registers,
    });
    this.lastSuccess = new Gauge({
      name: 'reconciler_last_success_timestamp_seconds',
      help: 'Unix time of the last successful pass.',
      registers,
    });
    this.passOverruns = new Counter({
      name: 'reconciler_pass_overruns_total',
      help: 'Scheduled passes that were delayed because the previous pass was still running.',
      registers,
    });
    this.triggered = new Counter({
      name: 'reconciler_dag_runs_triggered_total',
      help: 'DAG runs created in Airflow by a trigger (an adopted existing run is not counted again).',
      labelNames: ['source'],
      registers,
    });
    this.finished = new Counter({
      name: 'reconciler_runs_finished_total',
      help: 'Ticket requests finished, by source and final state.',
      labelNames: ['source', 'state'],
      registers,
    });
    this.rejected = new Counter({
      name: 'reconciler_tickets_rejected_total',
      help: 'Tickets rejected without a DAG run, by reason.',
      labelNames: ['reason'],
      registers,
    });
    this.inFlight = new Gauge({
      name: 'reconciler_runs_in_flight',
      help: 'DAG runs triggered and not yet finished, by source.',
      labelNames: ['source'],
      registers,
    });
    this.upstreamRequests = new Counter({
      name: 'reconciler_upstream_requests_total',
      help: 'HTTP requests to Jira and Airflow by status code (error = no response).',
      labelNames: ['upstream', 'code'],
      registers,
    });
    this.upstreamDuration = new Histogram({
      name: 'reconciler_upstream_request_duration_seconds',
      help: 'Duration of HTTP requests to Jira and Airflow.',
      labelNames: ['upstream'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.upstreamThrottled = new Counter({
      name: 'reconciler_upstream_throttled_seconds_total',
      help: "Seconds requests waited at an upstream's rate-limit gate (a 429's Retry-After, or pacing after X-RateLimit-NearLimit), by the scope that held them (tenant, endpoint, issue).",
      labelNames: ['upstream', 'scope'],
      registers,
    });
    this.retries = new Counter({
      name: 'reconciler_retries_total',
      help: 'Automatic retries of failed DAG runs (a new run for the same request), by source.',
      labelNames: ['source'],
      registers,
    });
    this.stuck = new Gauge({
      name: 'reconciler_runs_stuck',
      help: 'DAG runs queued or running longer than the watchdog allows, by source (absent when no watchdog is configured).',
      labelNames: ['source'],
      registers,
    });
    this.notifications = new Counter({
      name: 'reconciler_notifications_total',
      help: 'Notifications by channel and result (sent, failed attempt, given up).',
      labelNames: ['channel', 'result'],
      registers,
    });
    this.leader = new Gauge({
      name: 'reconciler_leader',
      help: 'Whether this process leads (1) or stands by (0). A single-host daemon on SQLite leads while it runs.',
      registers,
    });
    this.leaderChanges = new Counter({
      name: 'reconciler_leader_changes_total',
      help: 'Times this process became the leader; summed over replicas, how often the lead changed hands.',
      registers,
    });
    if (options.processMetrics) {
      collectDefaultMetrics({ register: this.registry });
      for (const name of LINT_FAILING_DEFAULTS) this.registry.removeSingleMetric(name);
    }
  }

  request(upstream: Upstream, code: string, seconds: number): void {
    this.upstreamRequests.inc({ upstream, code });
    this.upstreamDuration.observe({ upstream }, seconds);
  }

  throttled(upstream: Upstream, seconds: number, scope: HoldScopeKind): void {
    this.upstreamThrottled.inc({ upstream, scope }, seconds);
  }

  /** This process starts (or stops) leading. */
  leading(on: boolean): void {
    if (on) this.leaderChanges.inc();
    this.leader.set(on ? 1 : 0);
  }

  /** Sets the in-flight gauge from a full count per source (sources with none go to 0). */
  setInFlight(counts: ReadonlyMap<string, number>, sources: readonly string[]): void {
    for (const source of new Set([...sources, ...counts.keys()])) this.inFlight.set({ source }, counts.get(source) ?? 0);
  }
}
