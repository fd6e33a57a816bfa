import type { AirflowGateway, DagRun, InFlightRun } from '../airflow/gateway.js';
import { settingsFor } from '../config/resolve-projects.js';
import { dagIdFor, type Config } from '../config/schema.js';
import { isUpstreamError } from '../http/errors.js';
import type { JiraGateway } from '../jira/gateway.js';
import type { Ticket } from '../jira/ticket.js';
import type { Logger } from '../observability/logger.js';
import { FINAL_STATES, type RunRecord } from '../store/run-record.js';
import type { RunStore } from '../store/run-store.js';
import type { Situation } from './decide.js';
import { lagSamples } from './index-lag.js';
import { lastSeenRun, lastSeenTicket } from './last-seen.js';
import type { PassDeps, PassOptions } from './pass-deps.js';
import { capsConfigured } from './slots.js';
import type { PassSummary } from './summary.js';
import { isSystemic } from './systemic.js';

/**
 * The change feeds, the first room of the loop: what changed in Jira since the cursor (or everything, in
 * a full resync), read again where the search may lag, and what changed in Airflow for the runs in flight.
 * Each ticket request found becomes a work item.
 */
export async function gather(
  deps: PassDeps,
  options: PassOptions,
  search: PassSummary['search'],
  updatedSince: Date | null,
  log: Logger,
  down: Map<string, string>,
): Promise<Situation[]> {
  const { jira, store, config } = deps;
  const keyFilter = options.issueKeys ? new Set(options.issueKeys) : null;
  const unfinished = (await store.unfinished()).filter((r) => !keyFilter || keyFilter.has(r.jiraIssueKey));
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
  const unconfirmedNew = await newRequests(store, found.filter((t) => !confirmedKeys.has(t.key) && !unfinishedKeys.has(t.key)));
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
    const record = await store.findRequest(ticket.key, ticket.requestId);
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
export async function inFlightRuns(deps: PassDeps, down: ReadonlyMap<string, string>): Promise<InFlightRun[]> {
  const { config } = deps;
  const sourceSets = [config.sources, ...Object.values(config.projectSettings).map((project) => project.sources)];
  const dagIds = [...new Set(sourceSets.flatMap((sources) => Object.keys(sources).map((source) => dagIdFor({ airflow: config.airflow, sources }, source))))];
  const instances = deps.airflows?.instances().map((instance) => ({ name: instance.name, gateway: instance.gateway })) ?? [{ name: 'default', gateway: deps.airflow }];
  const lists = await Promise.all(instances.filter((instance) => !down.has(instance.name)).map((instance) => instance.gateway.getInFlightRuns(dagIds)));
  return lists.flat();
}

/** The requests the store has never seen. A finished one still shown in Ready is read directly later (decide's confirm). */
async function newRequests(store: RunStore, tickets: readonly Ticket[]): Promise<Ticket[]> {
  const fresh: Ticket[] = [];
  for (const ticket of tickets) if ((await store.findRequest(ticket.key, ticket.requestId)) === null) fresh.push(ticket);
  return fresh;
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

export function instanceOf(deps: PassDeps, environment: string | null): { name: string; gateway: AirflowGateway; config: Config } {
  const instance = deps.airflows?.instanceFor(environment);
  return instance ? { name: instance.name, gateway: instance.gateway, config: instance.config } : { name: 'default', gateway: deps.airflow, config: deps.config };
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
