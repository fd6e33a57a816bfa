import type { ParamsCheck } from '../config/params-schema.js';
import { compileProjectParamsChecks } from '../config/params-schema.js';
import { settingsFor } from '../config/resolve-projects.js';
import { retryFor } from '../config/retry-policy.js';
import { dagIdFor, type Config, type ProjectSettings } from '../config/schema.js';
import { asFeed } from '../http/feed-first.js';
import { isStopped } from '../http/retry.js';
import type { Metrics } from '../observability/metrics.js';
import type { RunRecord } from '../store/run-record.js';
import { isSuspensionHold, type DecideRules } from './decide.js';
import { dispatch } from './dispatch.js';
import { dryRunEffects, liveEffects } from './effects.js';
import { gather, inFlightRuns } from './feeds.js';
import { notificationsFor } from './notifications.js';
import type { PassDeps, PassOptions } from './pass-deps.js';
import { WorkQueue } from './queue.js';
import { capsConfigured, passSlots } from './slots.js';
import { minutesPastLimit } from './watchdog.js';
import { countOutcomes, type PassSummary, type PlannedAction } from './summary.js';
import type { WorkContext } from './work-item.js';
import { airflowAnswers, airflowContexts, once, safely } from './workers.js';

export type { PassDeps, PassOptions } from './pass-deps.js';

/** A pass that could not do its job: an upstream unreachable after retries, or refusing our credentials. */
export class PassError extends Error {
  override readonly name = 'PassError';
  constructor(
    message: string,
    readonly summary: PassSummary | null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * One reconcile pass: find work in Jira and the store, poll Airflow for what is in flight, then let each
 * ticket request take its decisions. One ticket's failure is recorded and the others go on.
 */
export async function runPass(deps: PassDeps, options: PassOptions = {}): Promise<PassSummary> {
  const { clock, store, config, metrics } = deps;
  const started = clock.now();
  const log = deps.log.child({ pass: started.toISOString(), ...(options.dryRun ? { dryRun: true } : {}) });
  const planned: PlannedAction[] = [];
  const dryRun = options.dryRun ?? false;
  const cursor = await store.getCursor();
  const passCount = cursor.passCount + 1;
  const search = options.issueKeys ? 'issues' : options.fullSweep || !cursor.updatedSince || passCount % config.jira.fullSweepEveryPasses === 0 ? 'full' : 'incremental';
  const endTimer = metrics.passDuration.startTimer();
  try {
    const down = new Map<string, string>();
    // Taken before the feeds are read: a ticket whose worker runs meanwhile is left to it (see WorkOptions).
    const gatheredWhile = deps.queue?.inHand();
    // The feeds' requests go ahead of ticket work at the gates (a busy queue must not starve them).
    const items = await asFeed(() => gather(deps, options, search, cursor.updatedSince, log, down), options.workUntil);
    const ctx: WorkContext = {
      rules: decideRules(config, deps.paramsProblems, deps.checkParams),
      rulesFor: projectRules(config, deps),
      jira: deps.jira,
      airflow: deps.airflow,
      store,
      effects: dryRun ? dryRunEffects(planned, clock) : liveEffects(store, deps.jira, deps.airflow, clock),
      clock,
      log,
      metrics,
      resultTaskId: config.airflow.resultTaskId,
      checkDagParams: config.airflow.checkDagParams,
      dags: new Map(),
      createdRuns: new Set(),
      adoptedRuns: new Set(),
      notificationsFor: notificationsFor(config, (dagId, runId) => deps.airflow.uiUrl(dagId, runId)),
      transitions: new Map(),
      // A steady pass trusts the store to know every run it started; a full one (the first on a new or
      // rebuilt state file among them) also counts the runs Airflow has in flight for tickets.
      slots: passSlots(config, await store.unfinished(), search === 'incremental' ? undefined : once(() => inFlightRuns(deps, down))),
      airflowAnswers: once(() => airflowAnswers(deps.airflow, config)),
    };
    const instances = airflowContexts(deps, ctx, planned, dryRun);
    // The daemon's queue lives as long as it does; a one-shot pass without one works each item to its end.
    const queue = deps.queue ?? new WorkQueue(clock, log, { concurrency: config.http.concurrency, setAsideAfterMs: Number.POSITIVE_INFINITY });
    // A dry run, and a pass under in-flight caps (whose slots are counted by the pass that takes them), work each item to its end.
    const detach = deps.queue !== undefined && !dryRun && !capsConfigured(config);
    const reports = await dispatch(queue, items, (item) => safely(item, { deps, ctx, dryRun, log, instances, down }), {
      detach,
      ...(detach && options.workUntil ? { until: options.workUntil } : {}),
      ...(gatheredWhile ? { gatheredWhile } : {}),
      clock,
    });
    const systemic = reports.find((r) => r.systemic)?.systemic;
    const setAside = reports.flatMap((r) => (r.report.outcome === 'set-aside' ? [{ issue: r.report.issue, requestId: r.report.requestId, reason: r.report.detail }] : []));
    // A failed pass keeps the cursor, so the tickets it could not work are searched for again. A pass
    // limited to some tickets says nothing about the others: the cursor stays too. So does a pass in which
    // one environment's Airflow was down (its tickets' changes are asked for again), and one that set
    // tickets aside (waiting out a hold or a backoff, or cut short by a stop): they are found again. So
    // does one that held tickets of a suspended source: clearing the flag changes nothing in Jira, so
    // only a search reaching back past them finds them when the suspension is lifted.
    const suspensionHeld = reports.some((r) => r.report.outcome === 'held' && isSuspensionHold(r.report.detail));
    if (!dryRun && !systemic && down.size === 0 && setAside.length === 0 && !suspensionHeld) {
      await store.setCursor({ updatedSince: search === 'issues' ? cursor.updatedSince : started, passCount });
    }
    const inFlight = countInFlight(await store.unfinished(), metrics, config, clock.now());
    const summary: PassSummary = {
      startedAt: started.toISOString(),
      durationMs: clock.now().getTime() - started.getTime(),
      dryRun,
      search,
      ticketsSeen: items.length,
      inFlight,
      airflowDown: [...down].map(([instance, error]) => ({ instance, error })),
      ...countOutcomes(reports.map((r) => r.report)),
      setAside,
      tickets: reports.map((r) => r.report),
      planned,
    };
    if (!dryRun) await deps.deliver?.();
    if (systemic) throw new PassError(`the pass could not finish every ticket: ${systemic.message}`, summary, { cause: systemic });
    if (setAside.length > 0) log.info({ pending: setAside.map((item) => item.issue) }, 'Ticket requests set aside');
    metrics.passes.inc({ result: 'success' });
    metrics.lastSuccess.set(clock.now().getTime() / 1000);
    log.info(summaryFields(summary), 'Pass completed');
    return summary;
  } catch (error) {
    metrics.passes.inc({ result: 'error' });
    if (error instanceof PassError) {
      log.error({ err: error }, 'Pass failed');
      throw error;
    }
    const wrapped = new PassError(error instanceof Error ? error.message : String(error), null, { cause: error });
    if (isStopped(error)) log.info('Pass stopped before its work was gathered; the cursor stays for the next start');
    else log.error({ err: error }, 'Pass failed');
    throw wrapped;
  } finally {
    endTimer();
  }
}

function countInFlight(unfinished: readonly RunRecord[], metrics: Metrics, config: Config, now: Date): number {
  const counts = new Map<string, number>();
  const stuck = new Map<string, number>();
  const { queuedMinutes, runningMinutes } = config.watchdog;
  const watched = queuedMinutes !== undefined || runningMinutes !== undefined;
  let total = 0;
  for (const record of unfinished) {
    if (record.state !== 'queued' && record.state !== 'running' && record.state !== 'pending') continue;
    const source = record.source ?? 'unknown';
    counts.set(source, (counts.get(source) ?? 0) + 1);
    total++;
    if (watched && record.state !== 'pending' && minutesPastLimit(record.state, record.startedAt, config.watchdog, now) !== null) {
      stuck.set(source, (stuck.get(source) ?? 0) + 1);
    }
  }
  const sources = Object.keys(config.sources);
  metrics.setInFlight(counts, sources);
  // No series without the watchdog: its absence is how the alert rules tell "not watched" from "none stuck".
  if (!watched) return total;
  for (const source of new Set([...sources, ...counts.keys()])) metrics.stuck.set({ source }, stuck.get(source) ?? 0);
  return total;
}

export function decideRules(config: Config, paramsProblems: PassDeps['paramsProblems'], checkParams?: ParamsCheck): DecideRules {
  return rulesOf(config, settingsFor(config, ''), paramsProblems, checkParams);
}

/** The rules of each project's tickets (its own fields, statuses, sources, ...), built once a pass. */
function projectRules(config: Config, deps: PassDeps): (issueKey: string) => DecideRules {
  const byProject = new Map<string, DecideRules>();
  const checks = compileProjectParamsChecks(config);
  return (issueKey) => {
    const settings = settingsFor(config, issueKey);
    let rules = byProject.get(settings.key);
    if (!rules) {
      // A project with its own sources has its own parameter schemas; the others share the top level's.
      const own = config.projectSettings[settings.key] !== undefined;
      rules = rulesOf(config, settings, deps.paramsProblems, own ? checks(settings.key) : deps.checkParams);
      byProject.set(settings.key, rules);
    }
    return rules;
  };
}

function rulesOf(config: Config, settings: ProjectSettings, paramsProblems: PassDeps['paramsProblems'], checkParams?: ParamsCheck): DecideRules {
  const sources = settings.key === '' ? config.sources : settings.sources;
  return {
    ...(checkParams ? { checkParams } : {}),
    sources: Object.keys(sources),
    runTypes: settings.key === '' ? config.runTypes : settings.runTypes,
    environments: settings.key === '' ? config.environments : settings.environments,
    paramsProblems,
    statuses: settings.key === '' ? config.jira.statuses : settings.statuses,
    dagIdFor: (source) => dagIdFor({ airflow: config.airflow, sources }, source),
    retryPolicy: (source, runType) => retryFor(config.retry, sources[source], runType),
    holdLabel: config.jira.holdLabel,
    suspended: (source) => sources[source]?.suspended === true,
    approvalLabel: (environment) => config.environmentSettings[environment]?.approvalLabel,
    watchdog: config.watchdog,
  };
}

function summaryFields(summary: PassSummary): Record<string, unknown> {
  const { tickets: _tickets, planned: _planned, ...counts } = summary;
  return counts;
}
