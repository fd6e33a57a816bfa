import { z } from 'zod';

export const projectKey = z.string().regex(/^[A-Z][A-Z0-9_]+$/, 'a Jira project key such as SCR');
export const nonEmpty = z.string().min(1);
/** Jira labels cannot hold spaces. */
export const label = z.string().regex(/^\S+$/, 'a Jira label (no spaces)');
const sourceName = z.string().regex(/^[a-z0-9_]+$/, 'a lower-case source name');

/** A JSON Schema (draft 2020-12 or 07) object, compiled with ajv when the config is read. */
const JsonSchema = z.record(z.string(), z.unknown());

export const FieldIds = z.strictObject({
  source: nonEmpty.default('customfield_source'),
  runType: nonEmpty.default('customfield_run_type'),
  params: nonEmpty.default('customfield_params'),
  environment: nonEmpty.default('customfield_environment'),
  airflowRunId: nonEmpty.default('customfield_airflow_run_id'),
  runStatus: nonEmpty.default('customfield_run_status'),
  platformRunId: nonEmpty.default('customfield_run_id'),
});

export const Statuses = z.strictObject({
  ready: nonEmpty.default('Ready to Run'),
  completed: nonEmpty.default('Completed'),
  failed: nonEmpty.default('Failed - Needs Investigation'),
  cancelled: nonEmpty.default('Cancelled'),
  /** When set, a triggered ticket is moved here with its trigger write. */
  running: nonEmpty.optional(),
});

/** A project's own field ids and statuses: only those given replace the top-level ones (no defaults here). */
const FieldOverrides = z.strictObject({
  source: nonEmpty.optional(),
  runType: nonEmpty.optional(),
  params: nonEmpty.optional(),
  environment: nonEmpty.optional(),
  airflowRunId: nonEmpty.optional(),
  runStatus: nonEmpty.optional(),
  platformRunId: nonEmpty.optional(),
});

const StatusOverrides = z.strictObject({
  ready: nonEmpty.optional(),
  completed: nonEmpty.optional(),
  failed: nonEmpty.optional(),
  cancelled: nonEmpty.optional(),
  running: nonEmpty.optional(),
});

/** `pattern` or `/pattern/flags`; checked by semantic-checks, compiled by retry-policy. */
const RetryPattern = nonEmpty;

/** The top-level retry policy, every key with today's behaviour (no retry) as its default. */
export const RetrySettings = z.strictObject({
  /** Every run counts, the first included. */
  attempts: z.int().min(1).max(100).default(1),
  /** Before the second attempt; doubles after each. */
  delaySeconds: z.int().min(0).max(604_800).default(60),
  /** Matched against the run's error text; empty means every failed run. */
  when: z.array(RetryPattern).default([]),
});
export type RetrySettings = z.infer<typeof RetrySettings>;

/** A per-source or per-run-type override: only the keys given replace the parent's. */
export const RetryOverride = z.strictObject({
  attempts: z.int().min(1).max(100).optional(),
  delaySeconds: z.int().min(0).max(604_800).optional(),
  when: z.array(RetryPattern).optional(),
});

const RunTypeConfig = z.strictObject({
  /** Replaces the source's paramsSchema for tickets of this run type. */
  paramsSchema: JsonSchema.optional(),
  retry: RetryOverride.optional(),
});

export const SourceConfig = z.strictObject({
  /** DAG id for this source; defaults to airflow.dagIdTemplate with {source} replaced. */
  dagId: nonEmpty.optional(),
  /** JSON Schema the ticket's Parameters object must satisfy. */
  paramsSchema: JsonSchema.optional(),
  /** Settings per run type (keys are run type names). */
  runTypes: z.record(nonEmpty, RunTypeConfig).optional(),
  retry: RetryOverride.optional(),
  /** Most runs of this source in flight at once. */
  maxInFlight: z.int().min(1).optional(),
  /** When true, tickets of this source are left alone. */
  suspended: z.boolean().optional(),
});
export type SourceConfig = z.infer<typeof SourceConfig>;

export const Sources = z.record(sourceName, SourceConfig);

/** A project with its own settings; each given key overrides the top-level one for its tickets. */
export const ProjectEntry = z.strictObject({
  key: projectKey,
  fields: FieldOverrides.optional(),
  statuses: StatusOverrides.optional(),
  /** A list of top-level source names, or a mapping merged over the top-level sources of the same name. */
  sources: z.union([z.array(sourceName).min(1), Sources]).optional(),
  runTypes: z.array(nonEmpty).min(1).optional(),
  /** Top-level environment names this project's tickets may use. */
  environments: z.array(nonEmpty).min(1).optional(),
});
export type ProjectEntry = z.infer<typeof ProjectEntry>;

export const NOTIFY_EVENTS = ['success', 'failed', 'invalid', 'cancelled', 'retry', 'stuck'] as const;
export type NotifyEvent = (typeof NOTIFY_EVENTS)[number];

const notifyFilters = {
  on: z.array(z.enum(NOTIFY_EVENTS)).min(1),
  /** Only tickets of these sources; every source when absent. */
  sources: z.array(sourceName).min(1).optional(),
  /** Only tickets of these projects; every project when absent. */
  projects: z.array(projectKey).min(1).optional(),
};

export const Notifications = z.strictObject({
  slack: z.strictObject(notifyFilters).optional(),
  email: z
    .strictObject({
      ...notifyFilters,
      to: z.union([z.email(), z.array(z.email()).min(1)]).transform((to) => (Array.isArray(to) ? to : [to])),
      from: z.email(),
    })
    .optional(),
});

export const Watchdog = z.strictObject({
  queuedMinutes: z.int().min(1).optional(),
  runningMinutes: z.int().min(1).optional(),
});

const EnvironmentEntry = z.strictObject({
  /** This environment's own Airflow; its credentials come from AIRFLOW_<ENV>_TOKEN or _USER/_PASS. */
  airflowBaseUrl: z.url().optional(),
  /** v1 or v2 for this environment's own Airflow; defaults to airflow.apiVersion. */
  airflowApiVersion: z.enum(['v1', 'v2']).optional(),
  /** A ticket for this environment without this label is rejected. */
  approvalLabel: label.optional(),
  /** Most runs for this environment in flight at once. */
  maxInFlight: z.int().min(1).optional(),
});
export type EnvironmentEntry = z.infer<typeof EnvironmentEntry>;

export const Environments = z.union([
  z.array(nonEmpty).min(1),
  z.record(nonEmpty, EnvironmentEntry.nullable().transform((entry) => entry ?? {})),
]);

/** The leader's lease when several daemons share one PostgreSQL state database. */
export const HaSettings = z.strictObject({
  /** How long a lease lasts unrenewed: a standby takes over within this plus one interval of the leader's death. */
  leaseSeconds: z.int().min(3).default(15),
});
