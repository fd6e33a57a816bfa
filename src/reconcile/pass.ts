import pLimit from 'p-limit';
import type { AirflowRouter } from '../airflow/environments.js';
import type { AirflowGateway, DagRun, InFlightRun } from '../airflow/gateway.js';
import type { Clock } from '../clock.js';
import type { ParamsCheck } from '../config/params-schema.js';
import { compileProjectParamsChecks } from '../config/params-schema.js';
import { settingsFor } from '../config/resolve-projects.js';
import { retryFor } from '../config/retry-policy.js';
import { dagIdFor, type Config, type ProjectSettings } from '../config/schema.js';
import { isUpstreamError, UpstreamError } from '../http/errors.js';
import { isStopped } from '../http/retry.js';
import type { JiraGateway } from '../jira/gateway.js';
import type { Ticket } from '../jira/ticket.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import { FINAL_STATES, type RunRecord } from '../store/run-record.js';
import type { RunStore } from '../store/run-store.js';
import { STOP_SENT, type DecideRules, type Situation } from './decide.js';
import { dryRunEffects, liveEffects } from './effects.js';
import { lagSamples, type IndexLag } from './index-lag.js';
import { lastSeenRun, lastSeenTicket } from './last-seen.js';
import { notificationsFor } from './notifications.js';
import { capsConfigured, passSlots } from './slots.js';
import { minutesPastLimit } from './watchdog.js';
import { countOutcomes, type PassSummary, type PlannedAction, type TicketReport } from './summary.js';
import { workItem, type WorkContext } from './work-item.js';

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
  /** The process is stopping: items not yet begun are set aside, and so is one whose next request was not sent. */
  stop?: AbortSignal;
}

export interface PassOptions {
  dryRun?: boolean;
  /** Limit the pass to these tickets (read directly, whatever their status). */
  issueKeys?: readonly string[];
  /** Search all Ready tickets, ignoring the cursor. */
  fullSweep?: boolean;
}

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
  const cursor = store.getCursor();
  const passCount = cursor.passCount + 1;
  const search = options.issueKeys ? 'issues' : options.fullSweep || !cursor.updatedSince || passCount % config.jira.fullSweepEveryPasses === 0 ? 'full' : 'incremental';
  const endTimer = metrics.passDuration.startTimer();
  try {
    const down = new Map<string, string>();
    const items = await gather(deps, options, search, cursor.updatedSince, log, down);
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
      slots: passSlots(config, store.unfinished(), search === 'incremental' ? undefined : once(() => inFlightRuns(deps, down))),
      airflowAnswers: once(() => airflowAnswers(deps.airflow, config)),
    };
    const limit = pLimit(config.http.concurrency);
    const instances = airflowContexts(deps, ctx, planned, dryRun);
    const reports = await Promise.all(items.map((item) => limit(() => safely(item, { deps, ctx, dryRun, log, instances, down }))));
    const systemic = reports.find((r) => r.systemic)?.systemic;
    const setAside = reports.flatMap((r) => (r.report.outcome === 'set-aside' ? [{ issue: r.report.issue, requestId: r.report.requestId, reason: r.report.detail }] : []));
    // A failed pass keeps the cursor, so the tickets it could not work are searched for again. A pass
    // limited to some tickets says nothing about the others: the cursor stays too. So does a pass in which
    // one environment's Airflow was down (its tickets' changes are asked for again), and one cut short by
    // a stop (what it set aside is found again at the next start).
    if (!dryRun && !systemic && down.size === 0 && setAside.length === 0) {
      store.setCursor({ updatedSince: search === 'issues' ? cursor.updatedSince : started, passCount });
    }
    const inFlight = countInFlight(store, metrics, config, clock.now());
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
    if (setAside.length > 0) log.info({ pending: setAside.map((item) => item.issue) }, 'Ticket requests set aside for the next pass');
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

async function gather(
  deps: PassDeps,
  options: PassOptions,
  search: PassSummary['search'],
  updatedSince: Date | null,
  log: Logger,
  down: Map<string, string>,
): Promise<Situation[]> {
  const { jira, store, config } = deps;
  const keyFilter = options.issueKeys ? new Set(options.issueKeys) : null;
  const unfinished = store.unfinished().filter((r) => !keyFilter || keyFilter.has(r.jiraIssueKey));
  // A steady pass asks only for what changed since the last one; a full resync (and a pass limited to
  // some tickets) reads every in-flight ticket and run, the safety net for what a change feed can miss.
  const overlapMs = deps.indexLag?.overlapMs(deps.clock.now().getTime()) ?? config.jira.cursorOverlapMinutes * 60_000;
  const since = search === 'incremental' && updatedSince ? new Date(updatedSince.getTime() - overlapMs) : null;

  let found: Ticket[];
  const searchedAt = deps.clock.now().getTime();
  if (options.issueKeys) {
    found = (await Promise.all(options.issueKeys.map((key) => jira.getTicket(key)))).filter((t): t is Ticket => t !== null);
  } else {
    found = await searchReady(jira, since, log);
  }
  const tickets = new Map(found.map((t) => [t.key, t]));
  // Keys read directly or read-after-write (getTickets) need no second read before acting on them.
  const confirmedKeys = new Set(options.issueKeys ?? []);
  const reread: Ticket[] = [];
  const fresh = async (keys: string[]): Promise<void> => {
    if (keys.length === 0) return;
    const read = await jira.getTickets(keys);
    reread.push(...read);
    for (const key of keys) tickets.delete(key);
    for (const ticket of read) tickets.set(ticket.key, ticket);
    for (const key of keys) confirmedKeys.add(key);
  };
  const unfinishedKeys = new Set(unfinished.map((r) => r.jiraIssueKey));
  // Search lags behind writes: new requests it shows are read again, fifty to a request, before anything is done.
  const unconfirmedNew = found.filter((t) => !confirmedKeys.has(t.key) && !unfinishedKeys.has(t.key) && isNew(store, t));
  const resync = since === null ? [...unfinishedKeys] : [];
  await fresh([...resync, ...unconfirmedNew.map((t) => t.key)].filter((key) => !confirmedKeys.has(key)));
  if (!options.issueKeys) {
    const searched = new Map(found.map((t) => [t.key, t]));
    for (const sample of lagSamples(searchedAt, searched, reread, unfinished)) deps.indexLag?.observe(sample, searchedAt);
  }

  const runs = await pollEach(deps, unfinished, since, down, log);
  const items: Situation[] = [];
  const seen = new Set<string>();
  for (const record of unfinished) {
    seen.add(`${record.jiraIssueKey}\u0000${record.requestId}`);
    const live = record.state === 'queued' || record.state === 'running';
    const changed = runs.get(record.airflowDagRunId ?? '');
    const found = tickets.get(record.jiraIssueKey);
    // A ticket someone changed since our last write (a hold lifted, say) has its run read directly: the
    // feed may have passed its changes while it was left alone.
    const touched = found !== undefined && Date.parse(found.updated) > Date.parse(record.updatedAt);
    // Unchanged in the feed: as last seen. Not found by a full read: gone from Airflow.
    const dagRun = live ? (changed ?? (since === null ? null : touched ? undefined : lastSeenRun(record))) : undefined;
    const ticket = found ?? (since === null ? null : lastSeenTicket(record, settingsFor(config, record.jiraIssueKey).statuses));
    items.push({ ticket, record, dagRun, confirmed: confirmedKeys.has(record.jiraIssueKey) });
  }
  for (const ticket of tickets.values()) {
    if (seen.has(`${ticket.key}\u0000${ticket.requestId}`)) continue;
    const record = store.findRequest(ticket.key, ticket.requestId);
    if (record && !FINAL_STATES.has(record.state)) continue;
    items.push({ ticket, record, dagRun: undefined, confirmed: confirmedKeys.has(ticket.key) });
  }
  log.debug({ tickets: found.length, unfinished: unfinished.length, runsChanged: runs.size, items: items.length, search, overlapSeconds: overlapMs / 1000 }, 'Work gathered');
  // Under an in-flight cap the requests are worked in the order they came, so the slots go first come,
  // first served: a request queued before a crash and one first seen after it keep their places.
  return capsConfigured(config) ? byArrival(items) : items;
}

/**
 * Earlier request first: by when it moved into Ready to Run; at the same instant (Jira's times are to
 * the millisecond, tickets made in bulk share them), the ticket made first: project, then issue number.
 */
function byArrival(items: readonly Situation[]): Situation[] {
  const keyed = items.map((item) => {
    const key = item.ticket?.key ?? item.record?.jiraIssueKey ?? '';
    const dash = key.lastIndexOf('-');
    return { item, at: arrival(item), project: key.slice(0, dash), number: Number(key.slice(dash + 1)) || 0 };
  });
  keyed.sort((a, b) => a.at.localeCompare(b.at) || a.project.localeCompare(b.project) || a.number - b.number);
  return keyed.map(({ item }) => item);
}

/** When the item's request moved into Ready to Run (ISO), as recorded or as read; '' when unknown. */
function arrival(item: Situation): string {
  const current = item.ticket && (!item.record || item.record.requestId === item.ticket.requestId) ? item.ticket.requestedAt : null;
  return item.record?.requestedAt ?? current ?? item.record?.createdAt ?? '';
}

/**
 * The change feed, or in full every Ready ticket and every ticket in the running status: a ticket there
 * that the store does not know (a lost state file) is followed from its run. A Jira that refuses the
 * incremental JQL (its relative date) is searched in full instead of failing the pass.
 */
async function searchReady(jira: JiraGateway, since: Date | null, log: Logger): Promise<Ticket[]> {
  if (!since) return jira.searchReady({ updatedSince: null, alsoStatuses: ['running'] });
  try {
    return await jira.searchReady({ updatedSince: since, alsoStatuses: ['cancelled', 'running'] });
  } catch (error) {
    if (!isUpstreamError(error, 'bad_request')) throw error;
    log.warn({ err: error }, 'Jira refused the incremental search; searching every Ready ticket');
    return jira.searchReady({ updatedSince: null, alsoStatuses: ['running'] });
  }
}

/** The runs every Airflow that answers has in flight for tickets, on the DAGs of every configured source. */
async function inFlightRuns(deps: PassDeps, down: ReadonlyMap<string, string>): Promise<InFlightRun[]> {
  const { config } = deps;
  const sourceSets = [config.sources, ...Object.values(config.projectSettings).map((project) => project.sources)];
  const dagIds = [...new Set(sourceSets.flatMap((sources) => Object.keys(sources).map((source) => dagIdFor({ airflow: config.airflow, sources }, source))))];
  const instances = deps.airflows?.instances().map((instance) => ({ name: instance.name, gateway: instance.gateway })) ?? [{ name: 'default', gateway: deps.airflow }];
  const lists = await Promise.all(instances.filter((instance) => !down.has(instance.name)).map((instance) => instance.gateway.getInFlightRuns(dagIds)));
  return lists.flat();
}

/** A request the store has never seen. A finished one still shown in Ready is read directly later (decide's confirm). */
function isNew(store: RunStore, ticket: Ticket): boolean {
  return store.findRequest(ticket.key, ticket.requestId) === null;
}

async function pollInFlight(airflow: AirflowGateway, records: readonly RunRecord[]): Promise<Map<string, DagRun>> {
  const live = records.filter((r) => (r.state === 'queued' || r.state === 'running') && r.airflowDagId && r.airflowDagRunId);
  if (live.length === 0) return new Map();
  const since = new Date(Math.min(...live.map((r) => Date.parse(r.createdAt))));
  const runs = await airflow.getDagRuns(
    live.map((r) => ({ dagId: r.airflowDagId as string, dagRunId: r.airflowDagRunId as string })),
    since,
  );
  return new Map(runs.map((run) => [run.dagRunId, run]));
}

/** The change feed of the DAGs with runs in flight, keyed by DAG run id. */
async function changedRuns(airflow: AirflowGateway, records: readonly RunRecord[], since: Date): Promise<Map<string, DagRun>> {
  const dagIds = [...new Set(records.filter((r) => (r.state === 'queued' || r.state === 'running') && r.airflowDagId).map((r) => r.airflowDagId as string))];
  if (dagIds.length === 0) return new Map();
  const runs = await airflow.getChangedDagRuns(dagIds, since);
  return new Map(runs.map((run) => [run.dagRunId, run]));
}

/** The Airflow a ticket's environment runs on, and the per-pass context that goes with it. */
type AirflowContext = Pick<WorkContext, 'airflow' | 'effects' | 'dags' | 'airflowAnswers' | 'notificationsFor'> & { name: string };

function instanceOf(deps: PassDeps, environment: string | null): { name: string; gateway: AirflowGateway; config: Config } {
  const instance = deps.airflows?.instanceFor(environment);
  return instance ? { name: instance.name, gateway: instance.gateway, config: instance.config } : { name: 'default', gateway: deps.airflow, config: deps.config };
}

function airflowContexts(deps: PassDeps, base: WorkContext, planned: PlannedAction[], dryRun: boolean): Map<string, AirflowContext> {
  const contexts = new Map<string, AirflowContext>();
  const instances = deps.airflows?.instances() ?? [];
  for (const instance of instances) {
    if (instance.name === 'default' || contexts.has(instance.name)) continue;
    const gateway = instance.gateway;
    contexts.set(instance.name, {
      name: instance.name,
      airflow: gateway,
      effects: dryRun ? dryRunEffects(planned, deps.clock) : liveEffects(deps.store, deps.jira, gateway, deps.clock),
      // The same DAG id is another DAG on another Airflow.
      dags: new Map(),
      airflowAnswers: once(() => airflowAnswers(gateway, instance.config)),
      notificationsFor: notificationsFor(deps.config, (dagId, runId) => gateway.uiUrl(dagId, runId)),
    });
  }
  contexts.set('default', { name: 'default', airflow: base.airflow, effects: base.effects, dags: base.dags, airflowAnswers: base.airflowAnswers, notificationsFor: base.notificationsFor });
  return contexts;
}

/**
 * The runs of every Airflow with runs in flight, each asked once. An Airflow that is down fails only its
 * own tickets' progress: it is named in `down`, and the other environments go on.
 */
async function pollEach(deps: PassDeps, records: readonly RunRecord[], since: Date | null, down: Map<string, string>, log: Logger): Promise<Map<string, DagRun>> {
  const groups = new Map<string, { gateway: AirflowGateway; records: RunRecord[] }>();
  for (const record of records) {
    const instance = instanceOf(deps, record.environment);
    const group = groups.get(instance.name) ?? { gateway: instance.gateway, records: [] };
    group.records.push(record);
    groups.set(instance.name, group);
  }
  const runs = new Map<string, DagRun>();
  const several = (deps.airflows?.instances().length ?? 1) > 1;
  for (const [name, group] of groups) {
    try {
      const found = since === null ? await pollInFlight(group.gateway, group.records) : await changedRuns(group.gateway, group.records, since);
      for (const [id, run] of found) runs.set(id, run);
    } catch (error) {
      if (!several || !isSystemic(error)) throw error;
      const message = error instanceof Error ? error.message : String(error);
      down.set(name, message);
      deps.airflows?.markDown(name, error);
      log.error({ airflow: name, err: error }, "An environment's Airflow is down; its tickets wait, the others go on");
    }
  }
  return runs;
}

interface SafelyContext {
  deps: PassDeps;
  ctx: WorkContext;
  dryRun: boolean;
  log: Logger;
  instances: Map<string, AirflowContext>;
  down: Map<string, string>;
}

async function safely(item: Situation, pass: SafelyContext): Promise<{ report: TicketReport; systemic?: Error }> {
  const { deps, ctx: passCtx, dryRun, log, instances, down } = pass;
  const key = item.ticket?.key ?? item.record?.jiraIssueKey ?? 'unknown';
  const instance = instanceOf(deps, item.record?.environment ?? item.ticket?.environment ?? null);
  const airflow = instances.get(instance.name) ?? instances.get('default');
  const ctx: WorkContext = airflow ? { ...passCtx, ...airflow } : passCtx;
  const several = instances.size > 1;
  const downError = down.get(instance.name);
  const requestId = item.record?.requestId ?? item.ticket?.requestId ?? null;
  const setAside = { issue: key, requestId, dagRunId: item.record?.airflowDagRunId ?? null, outcome: 'set-aside' as const, detail: 'stopping' };
  if (deps.stop?.aborted) return { report: setAside };
  if (downError !== undefined) {
    return { report: { issue: key, requestId: item.record?.requestId ?? item.ticket?.requestId ?? null, dagRunId: item.record?.airflowDagRunId ?? null, outcome: 'error', detail: `Airflow ${instance.name} is down: ${downError}` } };
  }
  try {
    return { report: await workItem(item, ctx) };
  } catch (error) {
    // Stopping is not the ticket's failure: nothing is recorded against it, and the next start goes on from its record.
    if (isStopped(error) || deps.stop?.aborted) return { report: setAside };
    const message = error instanceof Error ? error.message : String(error);
    if (several && error instanceof UpstreamError && error.upstream === 'airflow' && isSystemic(error)) {
      // One environment's Airflow failing mid-work: its tickets wait, the pass goes on for the others.
      down.set(instance.name, message);
      deps.airflows?.markDown(instance.name, error);
      log.error({ issue: key, airflow: instance.name, err: error }, "An environment's Airflow is down; its tickets wait, the others go on");
      if (!dryRun) recordProblem(item, message, ctx);
      return { report: { issue: key, requestId: item.record?.requestId ?? item.ticket?.requestId ?? null, dagRunId: item.record?.airflowDagRunId ?? null, outcome: 'error', detail: message } };
    }
    log.error({ issue: key, err: error }, 'Ticket could not be reconciled; it is retried next pass');
    if (!dryRun) recordProblem(item, message, ctx);
    const report: TicketReport = {
      issue: key,
      requestId: item.record?.requestId ?? item.ticket?.requestId ?? null,
      dagRunId: item.record?.airflowDagRunId ?? null,
      outcome: 'error',
      detail: message,
    };
    // A ticket-specific refusal (bad field value, no such ticket) does not fail the pass; an
    // upstream that is down or refuses our credentials does.
    return isSystemic(error) ? { report, systemic: error as Error } : { report };
  }
}

/** Kept on the request's record for `runs`; a request first seen this pass may have got its record meanwhile. */
function recordProblem(item: Situation, message: string, ctx: WorkContext): void {
  try {
    const seen = item.record ?? (item.ticket ? ctx.store.findRequest(item.ticket.key, item.ticket.requestId) : null);
    const record = seen && ctx.store.findRequest(seen.jiraIssueKey, seen.requestId);
    // A stop sent and not confirmed stays said: the next pass must know a run it finds failed was stopped by us.
    if (record && record.lastProblem !== STOP_SENT) ctx.store.update(record.id, { lastProblem: message }, ctx.clock.now());
  } catch {
    // The store error itself is in the caller's log line; the pass goes on.
  }
}

/** Upstream trouble that is not about one ticket: down, refusing our credentials, or not the API at all. */
function isSystemic(error: unknown): boolean {
  if (!(error instanceof UpstreamError)) return true;
  return error.retryable || error.kind === 'auth' || error.kind === 'bad_response' || error.kind === 'gone';
}

async function airflowAnswers(airflow: AirflowGateway, config: Config): Promise<void> {
  try {
    await airflow.version();
  } catch (error) {
    const base = `${config.airflow.baseUrl}/api/${config.airflow.apiVersion}`;
    throw new UpstreamError(
      'airflow',
      'bad_response',
      `Airflow answered "not found" and ${base}/version does not answer either: check AIRFLOW_BASE_URL (the web server root, without /api/...) and AIRFLOW_API_VERSION (v1 for Airflow 2, v2 for Airflow 3)`,
      { cause: error },
    );
  }
}

function once<T>(fn: () => Promise<T>): () => Promise<T> {
  let result: Promise<T> | null = null;
  return () => (result ??= fn());
}

function countInFlight(store: RunStore, metrics: Metrics, config: Config, now: Date): number {
  const counts = new Map<string, number>();
  const stuck = new Map<string, number>();
  const { queuedMinutes, runningMinutes } = config.watchdog;
  const watched = queuedMinutes !== undefined || runningMinutes !== undefined;
  let total = 0;
  for (const record of store.unfinished()) {
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
