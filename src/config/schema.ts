import { z } from 'zod';

export const SOURCES = ['alfabeta', 'quebec', 'lafa'] as const;
export const RUN_TYPES = ['FULL_REFRESH', 'DELTA', 'SINGLE_PRODUCT'] as const;
export const ENVIRONMENTS = ['dev', 'staging', 'prod'] as const;
export const RUN_STATUSES = ['queued', 'running', 'success', 'failed', 'cancelled', 'invalid'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

const projectKey = z.string().regex(/^[A-Z][A-Z0-9_]+$/, 'a Jira project key such as SCR');
const nonEmpty = z.string().min(1);

/** A JSON Schema (draft 2020-12 or 07) object, compiled with ajv when the config is read. */
const JsonSchema = z.record(z.string(), z.unknown());

const FieldIds = z.strictObject({
  source: nonEmpty.default('customfield_source'),
  runType: nonEmpty.default('customfield_run_type'),
  params: nonEmpty.default('customfield_params'),
  environment: nonEmpty.default('customfield_environment'),
  airflowRunId: nonEmpty.default('customfield_airflow_run_id'),
  runStatus: nonEmpty.default('customfield_run_status'),
  platformRunId: nonEmpty.default('customfield_run_id'),
});

const Statuses = z.strictObject({
  ready: nonEmpty.default('Ready to Run'),
  completed: nonEmpty.default('Completed'),
  failed: nonEmpty.default('Failed - Needs Investigation'),
  cancelled: nonEmpty.default('Cancelled'),
});

const SourceConfig = z.strictObject({
  /** DAG id for this source; defaults to airflow.dagIdTemplate with {source} replaced. */
  dagId: nonEmpty.optional(),
  /** JSON Schema the ticket's Parameters object must satisfy. */
  paramsSchema: JsonSchema.optional(),
});

export const FileConfig = z.strictObject({
  db: nonEmpty.default('./data/reconciler.db'),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  jira: z
    .strictObject({
      baseUrl: z.url().optional(),
      projects: z.array(projectKey).min(1).optional(),
      fields: FieldIds.prefault({}),
      statuses: Statuses.prefault({}),
      pageSize: z.int().min(1).max(100).default(50),
      /** Minutes the incremental search looks back past the cursor (JQL dates have minute precision). */
      cursorOverlapMinutes: z.int().min(1).max(1440).default(5),
      /** Every N-th pass searches all Ready to Run tickets, whatever the cursor says. */
      fullSweepEveryPasses: z.int().min(1).default(10),
    })
    .prefault({}),
  airflow: z
    .strictObject({
      baseUrl: z.url().optional(),
      apiVersion: z.enum(['v1', 'v2']).default('v1'),
      dagIdTemplate: nonEmpty.default('scraper_{source}'),
      resultTaskId: nonEmpty.default('run_pipeline'),
      resultXcomKey: nonEmpty.default('return_value'),
      /** Where links in comments point; defaults to baseUrl. */
      uiBaseUrl: z.url().optional(),
    })
    .prefault({}),
  sources: z
    .record(z.string().regex(/^[a-z0-9_]+$/, 'a lower-case source name'), SourceConfig)
    .default({ alfabeta: {}, quebec: {}, lafa: {} }),
  runTypes: z.array(nonEmpty).min(1).default([...RUN_TYPES]),
  environments: z.array(nonEmpty).min(1).default([...ENVIRONMENTS]),
  schedule: z
    .strictObject({
      intervalSeconds: z.int().min(1).max(86_400).default(30),
      /** node-cron expression; used instead of intervalSeconds when set. */
      cron: nonEmpty.optional(),
      /** How long a graceful stop waits for the current pass. */
      stopTimeoutSeconds: z.int().min(1).default(60),
    })
    .prefault({}),
  metrics: z
    .strictObject({
      host: nonEmpty.default('127.0.0.1'),
      port: z.int().min(0).max(65_535).default(9464),
    })
    .prefault({}),
  http: z
    .strictObject({
      timeoutMs: z.int().min(100).default(30_000),
      retries: z.int().min(0).max(10).default(4),
      concurrency: z.int().min(1).max(32).default(4),
    })
    .prefault({}),
  /** How long a second process waits for the state-store lock before giving up. */
  lockWaitMs: z.int().min(0).default(3_000),
});
export type FileConfig = z.infer<typeof FileConfig>;

/** Secrets come only from the environment, `X_FILE` or `$CREDENTIALS_DIRECTORY`, never the file. */
export interface Secrets {
  jiraUsername?: string;
  jiraApiToken?: string;
  jiraPat?: string;
  airflowToken?: string;
  airflowUser?: string;
  airflowPass?: string;
}

/** The validated, complete configuration the rest of the program receives. */
export type Config = Omit<FileConfig, 'jira' | 'airflow'> & {
  jira: FileConfig['jira'] & { baseUrl: string; projects: string[] };
  airflow: FileConfig['airflow'] & { baseUrl: string; uiBaseUrl: string };
  secrets: Secrets;
  /** Where the config came from, for messages. */
  configFile: string | null;
};

export function dagIdFor(config: Pick<Config, 'airflow' | 'sources'>, source: string): string {
  return config.sources[source]?.dagId ?? config.airflow.dagIdTemplate.replaceAll('{source}', source);
}
