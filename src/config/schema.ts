import { z } from 'zod';
import {
  Environments,
  FieldIds,
  HaSettings,
  Notifications,
  ProjectEntry,
  RetrySettings,
  Sources,
  Statuses,
  Watchdog,
  label,
  nonEmpty,
  projectKey,
  type EnvironmentEntry,
  type SourceConfig,
} from './section-schemas.js';

export const SOURCES = ['alfabeta', 'quebec', 'lafa'] as const;
export const RUN_TYPES = ['FULL_REFRESH', 'DELTA', 'SINGLE_PRODUCT'] as const;
export const ENVIRONMENTS = ['dev', 'staging', 'prod'] as const;
export const RUN_STATUSES = ['queued', 'running', 'success', 'failed', 'cancelled', 'invalid'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export const FileConfig = z.strictObject({
  db: nonEmpty.default('./data/reconciler.db'),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  jira: z
    .strictObject({
      baseUrl: z.url().optional(),
      /** Keys, or objects `{key, fields?, statuses?, sources?, runTypes?, environments?}` with their own settings. */
      projects: z.array(z.union([projectKey, ProjectEntry])).min(1).optional(),
      fields: FieldIds.prefault({}),
      statuses: Statuses.prefault({}),
      pageSize: z.int().min(1).max(100).default(50),
      /** Minutes the incremental search looks back past the cursor (JQL dates have minute precision). */
      cursorOverlapMinutes: z.int().min(1).max(1440).default(5),
      /** Every N-th pass searches all Ready to Run tickets, whatever the cursor says. */
      fullSweepEveryPasses: z.int().min(1).default(10),
      /** A ticket with this label is left alone until it is removed. */
      holdLabel: label.default('reconciler-hold'),
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
      /** Also check a ticket's params against the DAG's own declared params before triggering. */
      checkDagParams: z.boolean().default(false),
      /** Minutes the DAG-run change feed looks back past its cursor. */
      pollOverlapMinutes: z.int().min(0).max(1440).default(5),
    })
    .prefault({}),
  sources: Sources.default({ alfabeta: {}, quebec: {}, lafa: {} }),
  runTypes: z.array(nonEmpty).min(1).default([...RUN_TYPES]),
  /** A list of names, or a mapping of names to their settings. */
  environments: Environments.default([...ENVIRONMENTS]),
  retry: RetrySettings.prefault({}),
  notifications: Notifications.prefault({}),
  watchdog: Watchdog.prefault({}),
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
  /** Several hosts on one PostgreSQL state database: the leader's lease. */
  ha: HaSettings.prefault({}),
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
  /** SLACK_WEBHOOK_URL: the incoming-webhook URL notifications.slack posts to. */
  slackWebhookUrl?: string;
  /** SMTP_URL: `smtp://user:pass@host:port` (STARTTLS) or `smtps://...` for notifications.email. */
  smtpUrl?: string;
  /** RECONCILER_DATABASE_URL: `postgres://…`; when set, the state lives in PostgreSQL instead of `db`. */
  databaseUrl?: string;
  /** Per environment with its own airflowBaseUrl: AIRFLOW_<ENV>_TOKEN, _USER, _PASS. */
  airflowByEnv?: Record<string, AirflowSecrets>;
}

export interface AirflowSecrets {
  token?: string;
  user?: string;
  pass?: string;
}

export type { SourceConfig, NotifyEvent, RetrySettings } from './section-schemas.js';
export { NOTIFY_EVENTS } from './section-schemas.js';

/** One project's settings, the top-level ones with the project's overrides merged in. */
export interface ProjectSettings {
  key: string;
  fields: z.infer<typeof FieldIds>;
  statuses: z.infer<typeof Statuses>;
  sources: Record<string, SourceConfig>;
  runTypes: string[];
  environments: string[];
}

/** One environment's settings, resolved: its own Airflow when it has one, else the top-level one. */
export interface EnvironmentSettings extends Omit<EnvironmentEntry, 'airflowBaseUrl' | 'airflowApiVersion'> {
  /** True when the environment has its own airflowBaseUrl (and its own credentials). */
  ownAirflow: boolean;
  airflowBaseUrl: string;
  airflowUiBaseUrl: string;
  airflowApiVersion: 'v1' | 'v2';
}

/** The validated, complete configuration the rest of the program receives. */
export type Config = Omit<FileConfig, 'jira' | 'airflow' | 'environments'> & {
  /** The project keys; per-project settings are in projectSettings. */
  jira: Omit<FileConfig['jira'], 'projects'> & { baseUrl: string; projects: string[] };
  airflow: FileConfig['airflow'] & { baseUrl: string; uiBaseUrl: string };
  /** The environment names; per-environment settings are in environmentSettings. */
  environments: string[];
  environmentSettings: Record<string, EnvironmentSettings>;
  /** Per project key, fully merged. */
  projectSettings: Record<string, ProjectSettings>;
  secrets: Secrets;
  /** Where the config came from, for messages. */
  configFile: string | null;
};

export function dagIdFor(config: Pick<Config, 'airflow' | 'sources'>, source: string): string {
  return config.sources[source]?.dagId ?? config.airflow.dagIdTemplate.replaceAll('{source}', source);
}
