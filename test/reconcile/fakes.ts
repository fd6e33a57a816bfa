import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { completeConfig } from '../../src/config/read-config.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AirflowGateway, Dag, DagRun, DagRunState, InFlightRun, ResultXcom, RunConf, StopOutcome, TriggerOutcome } from '../../src/airflow/gateway.js';
import type { Clock } from '../../src/clock.js';
import { compileParamsCheck, compileParamsSchemas } from '../../src/config/params-schema.js';
import { FileConfig, type Config } from '../../src/config/schema.js';
import { UpstreamError } from '../../src/http/errors.js';
import type { EditOptions, JiraGateway, SearchOptions, TransitionOptions, TransitionOutcome } from '../../src/jira/gateway.js';
import type { CommentBody, Ticket, TicketWrite } from '../../src/jira/ticket.js';
import { silentLogger } from '../../src/observability/logger.js';
import { Metrics } from '../../src/observability/metrics.js';
import type { PassDeps } from '../../src/reconcile/pass.js';
import { openStore, type SqliteStore } from '../../src/store/sqlite-store.js';
import { fakeClock, type FakeClock } from '../support/fake-clock.js';

export const START = new Date('2025-01-05T10:00:00.000Z');
export const READY = 'Ready to Run';
export const COMPLETED = 'Completed';
export const FAILED = 'Failed - Needs Investigation';
export const CANCELLED = 'Cancelled';

/** A valid ticket in Ready to Run; override what the test is about. */
export function ticket(key: string, overrides: Partial<Ticket> = {}): Ticket {
  return {
    key,
    id: key.replace(/\D/g, '') || '1',
    status: READY,
    updated: START.toISOString(),
    source: 'alfabeta',
    runType: 'DELTA',
    environment: 'dev',
    paramsText: '{"limit": 100}',
    airflowRunId: null,
    runStatus: null,
    platformRunId: null,
    labels: [],
    requestId: '10001',
    requestedAt: START.toISOString(),
    ...overrides,
  };
}

export interface PostedComment {
  key: string;
  marker: string;
  text: string;
}

/**
 * Jira in memory. Writes change the tickets and are logged; comments are deduplicated by marker as the
 * real gateway does; transitions go by target status name. `searchReady` can serve a stale snapshot.
 */
export class FakeJira implements JiraGateway {
  readonly tickets = new Map<string, Ticket>();
  readonly searches: SearchOptions[] = [];
  readonly fieldWrites: Array<{ key: string; fields: TicketWrite }> = [];
  readonly comments: PostedComment[] = [];
  readonly transitions: Array<{ key: string; to: string }> = [];
  /** Target statuses the workflow has no transition to. */
  readonly missingTransitions = new Set<string>();
  /** Makes a write fail: return an error for (operation, key) to throw it. */
  failWrite: ((operation: 'fields' | 'comment' | 'transition', key: string) => Error | undefined) | null = null;
  /** Loses the answer to a move: Jira applies it, then the caller gets this error (a socket reset, say). */
  loseMoveAnswer: ((key: string) => Error | undefined) | null = null;
  /** Makes every call fail (Jira down). */
  down: Error | null = null;
  private snapshot: Ticket[] | null = null;
  /** The moves our account made, by ticket, request and target: what the changelog would show. */
  private readonly ourMoves = new Set<string>();

  constructor(private readonly clock: Clock) {}

  add(...tickets: Ticket[]): void {
    for (const t of tickets) this.tickets.set(t.key, { ...t, updated: this.clock.now().toISOString() });
  }

  /** The ticket as Jira holds it now. */
  ticket(key: string): Ticket {
    const found = this.tickets.get(key);
    if (!found) throw new Error(`no ticket ${key} in the fake`);
    return found;
  }

  /** What a person does: edit fields or move the ticket. */
  edit(key: string, changes: Partial<Ticket>): void {
    this.tickets.set(key, { ...this.ticket(key), ...changes, updated: this.clock.now().toISOString() });
  }

  /** A person moves the ticket back to Ready to Run: a new request. */
  rerun(key: string, requestId: string): void {
    const now = this.clock.now().toISOString();
    this.edit(key, { status: READY, requestId, requestedAt: now });
  }

  /** From now on search answers with the tickets as they are at this moment (an index that lags). */
  freezeSearch(): void {
    this.snapshot = [...this.tickets.values()].map((t) => ({ ...t }));
  }

  /** Search shows the tickets as they are again. */
  unfreezeSearch(): void {
    this.snapshot = null;
  }

  commentsOn(key: string): PostedComment[] {
    return this.comments.filter((c) => c.key === key);
  }

  /** Number of writes of any kind. */
  writeCount(): number {
    return this.fieldWrites.length + this.comments.length + this.transitions.length;
  }

  searchReady(options: SearchOptions): Promise<Ticket[]> {
    return settle(() => {
      this.checkUp();
      this.searches.push(options);
      const since = options.updatedSince?.getTime() ?? Number.NEGATIVE_INFINITY;
      const roles = { cancelled: CANCELLED, running: 'Running' } as const;
      const statuses = [READY, ...(options.alsoStatuses ?? []).map((role) => roles[role])];
      const pool = this.snapshot ?? [...this.tickets.values()];
      return pool.filter((t) => statuses.some((s) => same(t.status, s)) && Date.parse(t.updated) >= since).map((t) => ({ ...t }));
    });
  }

  getTickets(keys: readonly string[]): Promise<Ticket[]> {
    return settle(() => {
      this.checkUp();
      return keys.flatMap((key) => (this.tickets.has(key) ? [{ ...this.ticket(key) }] : []));
    });
  }

  getTicket(key: string): Promise<Ticket | null> {
    return settle(() => {
      this.checkUp();
      const found = this.tickets.get(key);
      return found ? { ...found } : null;
    });
  }

  updateFields(key: string, fields: TicketWrite, options: EditOptions = {}): Promise<void> {
    return settle(() => {
      this.checkWrite('fields', key);
      if (options.comment) this.checkWrite('comment', key);
      this.fieldWrites.push({ key, fields: { ...fields } });
      this.edit(key, fields);
      if (options.comment) this.post(key, options.comment);
    });
  }

  addComment(key: string, comment: CommentBody): Promise<boolean> {
    return settle(() => {
      this.checkWrite('comment', key);
      return this.post(key, comment);
    });
  }

  transitionTo(key: string, statusName: string, options: TransitionOptions = {}): Promise<TransitionOutcome> {
    return settle((): TransitionOutcome => {
      this.checkWrite('transition', key);
      const current = this.ticket(key);
      const request = options.requestId;
      // As the changelog tells the real gateway: a landed move is not repeated, a re-run is left alone.
      if (options.unconfirmed && request !== undefined) {
        if (this.ourMoves.has(`${key} ${request} ${statusName}`)) return { kind: 'landed' };
        if (current.requestId !== request) return { kind: 'superseded', requestId: current.requestId };
      }
      if (same(current.status, statusName)) {
        this.applyWith(key, options);
        return { kind: 'already-there' };
      }
      if (this.missingTransitions.has(statusName)) {
        const available = [READY, COMPLETED, FAILED, CANCELLED].filter((s) => !this.missingTransitions.has(s) && s !== current.status);
        return { kind: 'no-transition', available };
      }
      this.applyWith(key, options);
      this.transitions.push({ key, to: statusName });
      this.edit(key, { status: statusName });
      if (request !== undefined) this.ourMoves.add(`${key} ${request} ${statusName}`);
      const lost = this.loseMoveAnswer?.(key);
      if (lost) throw lost;
      return { kind: 'moved', transitionId: `to-${statusName}`, bundled: true };
    });
  }

  private applyWith(key: string, options: TransitionOptions): void {
    if (options.fields) {
      this.fieldWrites.push({ key, fields: { ...options.fields } });
      this.edit(key, options.fields);
    }
    if (options.comment) this.post(key, options.comment);
  }

  private post(key: string, comment: CommentBody): boolean {
    this.ticket(key);
    if (this.comments.some((c) => c.key === key && c.marker === comment.marker)) return false;
    this.comments.push({ key, marker: comment.marker, text: plainText(comment) });
    return true;
  }

  private checkUp(): void {
    if (this.down) throw this.down;
  }

  private checkWrite(operation: 'fields' | 'comment' | 'transition', key: string): void {
    this.checkUp();
    if (!this.tickets.has(key)) throw new UpstreamError('jira', 'not_found', `Issue ${key} does not exist`, { status: 404 });
    const error = this.failWrite?.(operation, key);
    if (error) throw error;
  }
}

export function plainText(comment: CommentBody): string {
  return comment.paragraphs.map((p) => p.map((inline) => inline.text).join('')).join('\n');
}

/** A promise of the value, rejected with whatever `produce` throws. */
function settle<T>(produce: () => T): Promise<T> {
  return new Promise((resolve) => resolve(produce()));
}

function same(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

interface StoredRun {
  run: DagRun;
  conf: RunConf;
}

/**
 * Airflow in memory: DAGs with a paused flag, runs whose state the test moves, planned results. A
 * duplicate run id answers `exists` (Airflow's 409); triggers and stops are logged.
 */
export class FakeAirflow implements AirflowGateway {
  readonly dags = new Map<string, Dag>();
  readonly runs = new Map<string, StoredRun>();
  readonly triggers: Array<{ dagId: string; dagRunId: string; conf: RunConf }> = [];
  readonly duplicateTriggers: string[] = [];
  readonly stops: string[] = [];
  /** Every change-feed query, in order. */
  readonly changeQueries: Array<{ dagIds: string[]; since: Date }> = [];
  /** Every in-flight list (the caps' slots counted from Airflow), by the DAGs asked. */
  readonly inFlightQueries: string[][] = [];
  /** Every by-id batch read, in order (a full resync). */
  readonly batchReads: number[] = [];
  /** Makes every call fail (Airflow down). */
  down: Error | null = null;
  private readonly results = new Map<string, ResultXcom>();

  constructor(private readonly clock: Clock) {
    for (const source of ['alfabeta', 'quebec', 'lafa']) this.addDag(`scraper_${source}`);
  }

  addDag(dagId: string, options: { paused?: boolean } = {}): void {
    this.dags.set(dagId, { dagId, isPaused: options.paused ?? false, isActive: true });
  }

  /** The run by its id (ids are unique across DAGs in these tests). */
  run(dagRunId: string): DagRun {
    const found = [...this.runs.values()].find((r) => r.run.dagRunId === dagRunId);
    if (!found) throw new Error(`no DAG run ${dagRunId} in the fake`);
    return found.run;
  }

  /** Moves a run as the scheduler would, with start and end dates from the clock. */
  move(dagRunId: string, state: DagRunState): void {
    const run = this.run(dagRunId);
    const now = this.clock.now().toISOString();
    run.state = state;
    if (state !== 'queued') run.startDate ??= now;
    if (state === 'success' || state === 'failed') run.endDate = now;
  }

  /** The result XCom a run leaves: a value, or missing. */
  planResult(dagRunId: string, result: ResultXcom): void {
    this.results.set(dagRunId, result);
  }

  /** A run that exists in Airflow without this process having triggered it (an earlier life). */
  seedRun(dagId: string, dagRunId: string, conf: RunConf, state: DagRunState = 'queued'): void {
    this.runs.set(`${dagId}/${dagRunId}`, { run: { dagId, dagRunId, state, startDate: null, endDate: null }, conf });
    if (state !== 'queued') this.move(dagRunId, state);
  }

  /** Params a DAG declares as required (no default), by DAG id. */
  readonly requiredParams = new Map<string, string[]>();

  checkDagParams(dagId: string, params: Readonly<Record<string, unknown>>): Promise<string[] | null> {
    return this.answer(() => {
      if (!this.dags.has(dagId)) return null;
      return (this.requiredParams.get(dagId) ?? []).filter((name) => !(name in params)).map((name) => `\`${name}\` is required: the DAG declares it without a default`);
    });
  }

  getDag(dagId: string): Promise<Dag | null> {
    return this.answer(() => this.dags.get(dagId) ?? null);
  }

  trigger(dagId: string, dagRunId: string, conf: RunConf): Promise<TriggerOutcome> {
    return this.answer((): TriggerOutcome => {
      if (!this.dags.has(dagId)) throw new UpstreamError('airflow', 'not_found', `DAG ${dagId} not found`, { status: 404 });
      if (this.runs.has(`${dagId}/${dagRunId}`)) {
        this.duplicateTriggers.push(dagRunId);
        return { kind: 'exists' };
      }
      const run: DagRun = { dagId, dagRunId, state: 'queued', startDate: null, endDate: null };
      this.runs.set(`${dagId}/${dagRunId}`, { run, conf });
      this.triggers.push({ dagId, dagRunId, conf });
      return { kind: 'created', run: { ...run } };
    });
  }

  getDagRun(dagId: string, dagRunId: string): Promise<DagRun | null> {
    return this.answer(() => {
      const found = this.runs.get(`${dagId}/${dagRunId}`);
      return found ? { ...found.run } : null;
    });
  }

  getDagRuns(runs: ReadonlyArray<{ dagId: string; dagRunId: string }>): Promise<DagRun[]> {
    return this.answer(() => {
      this.batchReads.push(runs.length);
      return runs.flatMap((ref) => {
        const found = this.runs.get(`${ref.dagId}/${ref.dagRunId}`);
        return found ? [{ ...found.run }] : [];
      });
    });
  }

  /** Runs of these DAGs that started or ended at or after `since`, as Airflow's batch list filters them. */
  getChangedDagRuns(dagIds: readonly string[], since: Date): Promise<DagRun[]> {
    return this.answer(() => {
      this.changeQueries.push({ dagIds: [...dagIds], since });
      const from = since.getTime();
      const changed = (date: string | null): boolean => date !== null && Date.parse(date) >= from;
      return [...this.runs.values()]
        .filter(({ run }) => dagIds.includes(run.dagId) && (changed(run.startDate) || changed(run.endDate)))
        .map(({ run }) => ({ ...run }));
    });
  }

  /** Queued and running runs of these DAGs started for a ticket, as the batch list with `states` gives them. */
  getInFlightRuns(dagIds: readonly string[]): Promise<InFlightRun[]> {
    return this.answer(() => {
      this.inFlightQueries.push([...dagIds]);
      return [...this.runs.values()]
        .filter(({ run }) => dagIds.includes(run.dagId) && (run.state === 'queued' || run.state === 'running'))
        .map(({ run, conf }) => ({ dagId: run.dagId, dagRunId: run.dagRunId, issueKey: conf.jira_issue_key, source: conf.source, environment: conf.environment }));
    });
  }

  getResult(_dagId: string, dagRunId: string): Promise<ResultXcom> {
    return this.answer(() => this.results.get(dagRunId) ?? { kind: 'missing', reason: 'no XCom return_value for task run_pipeline' });
  }

  stopDagRun(dagId: string, dagRunId: string): Promise<StopOutcome> {
    return this.answer((): StopOutcome => {
      const found = this.runs.get(`${dagId}/${dagRunId}`);
      if (!found) return { kind: 'not-found' };
      if (found.run.state === 'success' || found.run.state === 'failed') return { kind: 'already-ended', state: found.run.state };
      this.stops.push(dagRunId);
      this.move(dagRunId, 'failed');
      return { kind: 'confirmed', rounds: 1, tasksMarked: 1 };
    });
  }

  uiUrl(dagId: string, dagRunId: string): string {
    return `https://airflow.example.com/dags/${dagId}/grid?dag_run_id=${encodeURIComponent(dagRunId)}`;
  }

  version(): Promise<string> {
    return Promise.resolve('2.10.4');
  }

  private answer<T>(produce: () => T): Promise<T> {
    return settle(() => {
      if (this.down) throw this.down;
      return produce();
    });
  }
}

export function testConfig(overrides: { file?: Record<string, unknown>; db?: string } = {}): Config {
  const file = FileConfig.parse(overrides.file ?? {});
  return {
    ...completeConfig(file, {}, null),
    db: overrides.db ?? file.db,
    jira: { ...file.jira, baseUrl: 'https://jira.example.com', projects: ['SCR'] },
    airflow: { ...file.airflow, baseUrl: 'https://airflow.example.com', uiBaseUrl: 'https://airflow.example.com' },
    secrets: { jiraUsername: 'bot@example.com', jiraApiToken: 'token', airflowToken: 'token' },
    configFile: null,
  };
}

export interface PassHarness {
  deps: PassDeps;
  jira: FakeJira;
  airflow: FakeAirflow;
  clock: FakeClock;
  metrics: Metrics;
  store: () => SqliteStore;
  /** Deletes (or empties) the state file and opens it afresh, as after an operator lost it. */
  loseStateFile(how?: 'delete' | 'empty'): Promise<void>;
  cleanup(): void;
}

/** Pass dependencies on the fakes, the default config (file overrides allowed) and a real SQLite file in a temp dir. */
export async function passDeps(options: { file?: Record<string, unknown> } = {}): Promise<PassHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'reconcile-pass-'));
  const dbPath = join(dir, 'reconciler.db');
  const config = testConfig({ ...options, db: dbPath });
  const clock = fakeClock(START);
  const metrics = new Metrics();
  const jira = new FakeJira(clock);
  const airflow = new FakeAirflow(clock);
  const open = (): Promise<SqliteStore> => openStore(dbPath, { clock, command: 'test', lockWaitMs: 0 });
  let store = await open();
  const validators = compileParamsSchemas(config);
  const deps: PassDeps = {
    config,
    jira,
    airflow,
    store,
    clock,
    log: silentLogger(),
    metrics,
    paramsProblems: (source, params) => validators.get(source)?.(params) ?? [],
    checkParams: compileParamsCheck(config.sources),
  };
  return {
    deps,
    jira,
    airflow,
    clock,
    metrics,
    store: () => store,
    async loseStateFile(how = 'delete') {
      store.close();
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${dbPath}${suffix}`, { force: true });
      if (how === 'empty') writeFileSync(dbPath, '');
      store = await open();
      deps.store = store;
    },
    cleanup() {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The value of one metric series, 0 when it was never touched. */
export async function metricValue(metrics: Metrics, name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = metrics.registry.getSingleMetric(name);
  if (!metric) throw new Error(`no metric ${name}`);
  const { values } = await metric.get();
  const match = values.find((v) => Object.entries(labels).every(([k, want]) => String(v.labels[k]) === want));
  return match?.value ?? 0;
}
