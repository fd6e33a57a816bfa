import type { AirflowGateway } from '../airflow/gateway.js';
import type { Config } from '../config/schema.js';
import { UpstreamError } from '../http/errors.js';
import { isStopped } from '../http/retry.js';
import type { Logger } from '../observability/logger.js';
import { STOP_SENT, type Situation } from './decide.js';
import { dryRunEffects, liveEffects } from './effects.js';
import { instanceOf } from './feeds.js';
import { notificationsFor } from './notifications.js';
import type { PassDeps } from './pass-deps.js';
import type { PlannedAction, TicketReport } from './summary.js';
import { isSystemic } from './systemic.js';
import { workItem, type WorkContext } from './work-item.js';

/**
 * The workers, the third room of the loop: one ticket request at a time, deciding with decide() and
 * performing its steps (work-item.ts). One ticket's failure is recorded on it and the others go on.
 */
/** The Airflow a ticket's environment runs on, and the per-pass context that goes with it. */
export type AirflowContext = Pick<WorkContext, 'airflow' | 'effects' | 'dags' | 'airflowAnswers' | 'notificationsFor'> & { name: string };

export function airflowContexts(deps: PassDeps, base: WorkContext, planned: PlannedAction[], dryRun: boolean): Map<string, AirflowContext> {
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

export interface SafelyContext {
  deps: PassDeps;
  ctx: WorkContext;
  dryRun: boolean;
  log: Logger;
  instances: Map<string, AirflowContext>;
  down: Map<string, string>;
}

export async function safely(item: Situation, pass: SafelyContext): Promise<{ report: TicketReport; systemic?: Error }> {
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
      if (!dryRun) await recordProblem(item, message, ctx);
      return { report: { issue: key, requestId: item.record?.requestId ?? item.ticket?.requestId ?? null, dagRunId: item.record?.airflowDagRunId ?? null, outcome: 'error', detail: message } };
    }
    log.error({ issue: key, err: error }, 'Ticket could not be reconciled; it is retried next pass');
    if (!dryRun) await recordProblem(item, message, ctx);
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
async function recordProblem(item: Situation, message: string, ctx: WorkContext): Promise<void> {
  try {
    const seen = item.record ?? (item.ticket ? await ctx.store.findRequest(item.ticket.key, item.ticket.requestId) : null);
    const record = seen && (await ctx.store.findRequest(seen.jiraIssueKey, seen.requestId));
    // A stop sent and not confirmed stays said: the next pass must know a run it finds failed was stopped by us.
    if (record && record.lastProblem !== STOP_SENT) await ctx.store.update(record.id, { lastProblem: message }, ctx.clock.now());
  } catch {
    // The store error itself is in the caller's log line; the pass goes on.
  }
}

export async function airflowAnswers(airflow: AirflowGateway, config: Config): Promise<void> {
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

export function once<T>(fn: () => Promise<T>): () => Promise<T> {
  let result: Promise<T> | null = null;
  return () => (result ??= fn());
}
