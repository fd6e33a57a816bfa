import { type Config as JiraClientConfig, Version2Client, Version3Client } from 'jira.js';
import { createAirflowGateway } from '../airflow/airflow-gateway.js';
import { loggerFor, type Runtime } from '../app.js';
import { ConfigError } from '../config/config-error.js';
import { loadConfig } from '../config/load-config.js';
import type { Config } from '../config/schema.js';
import { jiraClientConfig } from '../jira/client.js';
import { jiraFlavour } from '../jira/flavour.js';
import { createJiraCall, type JiraCall } from '../jira/jira-call.js';
import { noopObserver } from '../observability/upstream-observer.js';
import { createAirflowGateways } from '../airflow/environments.js';
import { airflowChecks } from './airflow-checks.js';
import { environmentChecks } from './environment-checks.js';
import { notifyChecks } from './notify-checks.js';
import { permissionsClient, withPermissionChecks } from './permission-checks.js';
import { fail, pass, type Check } from './checks.js';
import { createDataCenterReads } from './datacenter-reads.js';
import { jiraChecks } from './jira-checks.js';
import { createJiraReads, type JiraReads } from './jira-reads.js';
import { serverInfoReader } from './server-info.js';
import { databaseChecks } from './database-checks.js';
import { storeChecks } from './store-checks.js';

/** doctor answers fast: one retry, and no request waits longer than this. */
const DOCTOR_RETRIES = 1;
const DOCTOR_TIMEOUT_MS = 10_000;

export interface DoctorReport {
  checks: Check[];
  /** Values that must never reach the output: the caller blanks them in whatever it prints. */
  secrets: string[];
}

/** Runs every check and never throws for an upstream or store failure: each becomes a FAIL line. */
export async function runDoctor(runtime: Runtime, configPath: string | undefined): Promise<DoctorReport> {
  let loaded: Config;
  try {
    loaded = loadConfig(runtime.env, configPath);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const hint = 'fix these in the config file or the environment, then run doctor again';
    return { checks: [fail('config', `invalid: ${error.problems.join('; ')}`, hint)], secrets: [] };
  }
  const config: Config = { ...loaded, http: { ...loaded.http, retries: DOCTOR_RETRIES, timeoutMs: Math.min(loaded.http.timeoutMs, DOCTOR_TIMEOUT_MS) } };
  const log = loggerFor(config, runtime, 'stderr');
  const { clock } = runtime;

  const { clientConfig, auth } = jiraClientConfig(config, noopObserver);
  const call = createJiraCall({ clock, log: log.child({ upstream: 'jira' }), retries: DOCTOR_RETRIES });
  const reads = jiraReadsFor(config, clientConfig, call);
  const airflow = runtime.airflow ?? createAirflowGateway({ config, clock, log });

  const environments = createAirflowGateways({ config, clock, log });
  const [jira, airflowResults, environmentResults, store, notifications] = await Promise.all([
    guarded('jira', async () => withPermissionChecks(await jiraChecks({ config, reads, auth, now: clock.now() }), { config, auth, call, client: permissionsClient(config, clientConfig) })),
    guarded('airflow', () => airflowChecks({ config, airflow })),
    guarded('environments', () => environmentChecks(environments)),
    config.secrets.databaseUrl
      ? guarded('state database', () => databaseChecks(config.secrets.databaseUrl as string, config.ha.leaseSeconds))
      : guarded('state file', () => storeChecks(config.db, clock)),
    guarded('notifications', () => notifyChecks(config)),
  ]);
  return {
    checks: [configCheck(config), ...jira, ...airflowResults, ...environmentResults, ...store, ...notifications],
    secrets: secretsOf(config),
  };
}

/** The same flavour as the daemon's (see `jiraFlavour`): Data Center reads REST v2, Cloud v3. */
function jiraReadsFor(config: Config, clientConfig: JiraClientConfig, call: JiraCall): JiraReads {
  const v2 = new Version2Client(clientConfig);
  const v3 = new Version3Client(clientConfig);
  // Read without credentials, as both deployments allow: credentials of the other deployment would be refused.
  const anonymous: JiraClientConfig = { host: config.jira.baseUrl, baseRequestConfig: clientConfig.baseRequestConfig };
  // Both versions, so a site of the other deployment can say what it is (see deploymentCheck).
  const serverInfo = serverInfoReader({ 2: new Version2Client(anonymous), 3: new Version3Client(anonymous) }, call);
  if (jiraFlavour(config) === 'datacenter') return createDataCenterReads(v2, call, serverInfo, config.jira.projects);
  return createJiraReads(v3, call, serverInfo);
}

function configCheck(config: Config): Check {
  const from = config.configFile ?? 'no config file, defaults and environment';
  const sources = Object.keys(config.sources).join(', ');
  return pass(
    'config',
    `valid (${from}); Jira ${config.jira.baseUrl} projects ${config.jira.projects.join(', ')}; ` +
      `Airflow ${config.airflow.baseUrl} /api/${config.airflow.apiVersion}; sources ${sources}`,
  );
}

/** A bug in one group of checks should not hide the others' results. */
async function guarded(group: string, run: () => Promise<Check[]>): Promise<Check[]> {
  try {
    return await run();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return [fail(group, `the check itself failed: ${reason}`, 'run doctor again with LOG_LEVEL=debug and report the output')];
  }
}

/** Tokens and passwords, alone and paired with their user as HTTP Basic sends them. Usernames are shown. */
function secretsOf(config: Config): string[] {
  const { jiraUsername, jiraApiToken, jiraPat, airflowToken, airflowUser, airflowPass, slackWebhookUrl, smtpUrl, databaseUrl, airflowByEnv } = config.secrets;
  const pairs = [
    jiraUsername && jiraApiToken ? `${jiraUsername}:${jiraApiToken}` : undefined,
    airflowUser && airflowPass ? `${airflowUser}:${airflowPass}` : undefined,
    ...Object.values(airflowByEnv ?? {}).map((s) => (s.user && s.pass ? `${s.user}:${s.pass}` : undefined)),
  ];
  const perEnvironment = Object.values(airflowByEnv ?? {}).flatMap((s) => [s.token, s.pass]);
  return [jiraApiToken, jiraPat, airflowToken, airflowPass, slackWebhookUrl, smtpUrl, urlPassword(smtpUrl), databaseUrl, urlPassword(databaseUrl), ...perEnvironment, ...pairs].filter(
    (value): value is string => !!value,
  );
}

/** The password inside a URL secret (SMTP_URL, RECONCILER_DATABASE_URL), which a server's messages could otherwise show alone. */
function urlPassword(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return decodeURIComponent(new URL(url).password) || undefined;
  } catch {
    return undefined;
  }
}
