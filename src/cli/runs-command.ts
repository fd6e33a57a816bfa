import type { Runtime } from '../app.js';
import { ConfigError } from '../config/config-error.js';
import { loadConfig } from '../config/load-config.js';
import { FileConfig } from '../config/schema.js';
import { RECORD_STATES, type RecordState, type RunRecord } from '../store/run-record.js';
import { readSecrets } from '../config/secrets.js';
import { describeDatabaseUrl } from '../store/pg/database-url.js';
import { openPgStore } from '../store/pg/pg-store.js';
import { openStore } from '../store/sqlite-store.js';
import { renderTable } from './table.js';
import { runsSpec } from './specs.js';
import { parseCommand, UsageError } from './usage.js';

const DEFAULT_DB = FileConfig.parse({}).db;


export async function runsCommand(argv: readonly string[], runtime: Runtime): Promise<number> {
  const { values } = parseCommand(runsSpec, argv);
  const states = (values.state ?? []).map((state) => {
    if (!(RECORD_STATES as readonly string[]).includes(state)) {
      throw new UsageError(`--state ${state} is not a state; use one of ${RECORD_STATES.join(', ')}`);
    }
    return state as RecordState;
  });
  const limit = values.limit === undefined ? 200 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1) throw new UsageError(`--limit ${values.limit} is not a positive whole number`);
  const source = stateSource(runtime, values.config);
  const store =
    'url' in source
      ? await openPgStore(source.url, { command: 'runs', readOnly: true })
      : await openStore(source.path, { clock: runtime.clock, command: 'runs', lockWaitMs: 0, readOnly: true });
  try {
    const records = await store.list({
      ...(values.issue ? { issueKeys: values.issue.map((key) => key.trim().toUpperCase()) } : {}),
      ...(states.length > 0 ? { states } : {}),
      limit,
    });
    runtime.stdout.write(values.json ? `${JSON.stringify(records.map(toJson), null, 2)}\n` : renderRuns(records));
    return 0;
  } finally {
    await store.close();
  }
}

/**
 * `runs` needs only the state: without Jira/Airflow settings it still works, from RECONCILER_DATABASE_URL,
 * RECONCILER_DB or the default path, and says why it did not use the config. Any host may run it.
 */
function stateSource(runtime: Runtime, configPath: string | undefined): { url: string } | { path: string } {
  try {
    const config = loadConfig(runtime.env, configPath);
    return config.secrets.databaseUrl ? { url: config.secrets.databaseUrl } : { path: config.db };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const url = readSecrets(runtime.env, undefined).secrets.databaseUrl;
    const fallback = runtime.env.RECONCILER_DB ?? DEFAULT_DB;
    const where = url ? `the PostgreSQL state ${describeDatabaseUrl(url)}` : `the state file ${fallback}`;
    runtime.stderr.write(`runs: the configuration is not complete, reading ${where} (${error.problems.length} config problems; run doctor)\n`);
    return url ? { url } : { path: fallback };
  }
}

/** The JSON shape uses the column names of the platform's scraper_runs table. */
function toJson(record: RunRecord): Record<string, unknown> {
  return {
    id: record.id,
    jira_issue_key: record.jiraIssueKey,
    request_id: record.requestId,
    attempt: record.attempt,
    source: record.source,
    run_type: record.runType,
    environment: record.environment,
    params: parseParams(record.params),
    airflow_dag_id: record.airflowDagId,
    airflow_dag_run_id: record.airflowDagRunId,
    state: record.state,
    jira_phase: record.jiraPhase,
    platform_run_id: record.platformRunId,
    item_count: record.itemCount,
    error: record.error,
    last_problem: record.lastProblem,
    created_at: record.createdAt,
    updated_at: record.updatedAt,
    started_at: record.startedAt,
    finished_at: record.finishedAt,
  };
}

function parseParams(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function renderRuns(records: readonly RunRecord[]): string {
  if (records.length === 0) return 'No run records yet.\n';
  return renderTable(
    ['ISSUE', 'ATTEMPT', 'SOURCE', 'STATE', 'DAG RUN', 'ITEMS', 'UPDATED', 'NOTE'],
    records.map((r) => [
      r.jiraIssueKey,
      String(r.attempt),
      r.source ?? '-',
      r.state,
      r.airflowDagRunId ?? '-',
      r.itemCount === null ? '-' : String(r.itemCount),
      r.updatedAt.replace('T', ' ').slice(0, 19),
      oneLine(r.lastProblem ?? r.error ?? ''),
    ]),
  );
}

function oneLine(text: string): string {
  const flat = text.replaceAll('\n', '; ');
  return flat.length > 60 ? `${flat.slice(0, 57)}...` : flat;
}
