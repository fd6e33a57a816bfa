import type { AirflowGateway } from '../airflow/gateway.js';
import { dagIdFor, type Config } from '../config/schema.js';
import { toUpstreamError } from '../http/classify.js';
import { fail, pass, skipped, type Check } from './checks.js';
import { type ProbeVersion, versionProbe } from './airflow-probe.js';
import { scopedName, settingName } from './check-scope.js';
import { airflowFailure } from './failures.js';

export interface AirflowCheckDeps {
  config: Config;
  airflow: AirflowGateway;
  /** Asks the other API prefix whether it is served; the default asks the configured Airflow. */
  probeVersion?: ProbeVersion;
}

const API = 'airflow api';
const MAJOR_FOR: Readonly<Record<Config['airflow']['apiVersion'], number>> = { v1: 2, v2: 3 };

interface DagToCheck {
  source: string;
  dagId: string;
  /** The project whose own sources name this DAG; null for the top-level sources. */
  project: string | null;
  /** The setting that makes its id. */
  setting: string;
}

/** The API answers on the configured prefix with a matching major version; then every source's DAG, a project's own ones too. */
export async function airflowChecks(deps: AirflowCheckDeps): Promise<Check[]> {
  const api = await apiCheck(deps);
  const dags = dagsToCheck(deps.config);
  if (!api.ok) return [api, ...dags.map((dag) => skipped(dagCheckName(dag.dagId, dag), 'the Airflow API', API))];
  const checks = [api];
  for (const dag of dags) checks.push(await dagCheck(deps, dag));
  return checks;
}

/** `airflow dag scraper_lafa`, or `airflow dag ops_lafa (OPS)` for a DAG only a project's own sources name. */
export function dagCheckName(dagId: string, scope: Pick<DagToCheck, 'project'> = { project: null }): string {
  return scopedName(`airflow dag ${dagId}`, scope);
}

/** Each DAG once: the top-level sources' first, then those a project's own sources add (a new source, or its own dagId). */
function dagsToCheck(config: Config): DagToCheck[] {
  const dags: DagToCheck[] = Object.keys(config.sources).map((source) => ({
    source,
    dagId: dagIdFor(config, source),
    project: null,
    setting: config.sources[source]?.dagId === undefined ? 'airflow.dagIdTemplate' : `sources.${source}.dagId`,
  }));
  for (const settings of Object.values(config.projectSettings)) {
    for (const [source, own] of Object.entries(settings.sources)) {
      const dagId = dagIdFor({ airflow: config.airflow, sources: settings.sources }, source);
      if (dags.some((dag) => dag.dagId === dagId)) continue;
      const scope = { project: settings.key };
      dags.push({ source, dagId, project: settings.key, setting: own.dagId === undefined ? 'airflow.dagIdTemplate' : settingName(`sources.${source}.dagId`, scope) });
    }
  }
  return dags;
}

async function apiCheck({ config, airflow, probeVersion = versionProbe(config) }: AirflowCheckDeps): Promise<Check> {
  const { apiVersion, baseUrl } = config.airflow;
  const prefix = `/api/${apiVersion}`;
  const other = apiVersion === 'v1' ? 'v2' : 'v1';
  let version: string;
  try {
    version = await airflow.version();
  } catch (error) {
    const typed = toUpstreamError('airflow', error);
    if (typed.kind !== 'not_found') return airflowFailure(API, error, config);
    // The configured prefix (or Airflow 3's login) is missing: the other prefix says which Airflow this is.
    const probe = await probeVersion(other);
    if (probe.served) {
      const which = probe.version ? `Airflow ${probe.version}` : `Airflow ${MAJOR_FOR[other]}.x`;
      return fail(
        API,
        `${baseUrl} is ${which}: it serves /api/${other}, not ${prefix} (${typed.message})`,
        `set AIRFLOW_API_VERSION=${other} (airflow.apiVersion in the config file): ${other} is for Airflow ${MAJOR_FOR[other]}.x`,
      );
    }
    if (/auth\/token/.test(typed.message)) {
      return fail(API, typed.message, 'Airflow 2 has no POST /auth/token: set AIRFLOW_API_VERSION=v1, or set AIRFLOW_TOKEN');
    }
    return fail(
      API,
      `${baseUrl} has no ${prefix}/version and no /api/${other}/version (HTTP 404)`,
      'check that AIRFLOW_BASE_URL is the Airflow web server root, without /api (Airflow 3 serves /api/v2, Airflow 2 /api/v1)',
    );
  }
  const major = Number(/^(\d+)\./.exec(version)?.[1]);
  const expected = MAJOR_FOR[apiVersion];
  if (!Number.isNaN(major) && major !== expected) {
    return fail(
      API,
      `Airflow ${version} answers on ${prefix}, which is for Airflow ${expected}.x`,
      `set AIRFLOW_API_VERSION=${major >= 3 ? 'v2' : 'v1'} (airflow.apiVersion in the config file)`,
    );
  }
  return pass(API, `Airflow ${version} at ${baseUrl.replace(/\/+$/, '')}${prefix}`);
}

async function dagCheck({ config, airflow }: AirflowCheckDeps, { source, dagId, project, setting }: DagToCheck): Promise<Check> {
  const name = dagCheckName(dagId, { project });
  let dag;
  try {
    dag = await airflow.getDag(dagId);
  } catch (error) {
    return airflowFailure(name, error, config);
  }
  if (!dag) {
    return fail(name, `no DAG ${dagId} (source ${source}${project === null ? '' : ` of project ${project}`})`, `deploy the DAG file to Airflow, or set ${setting} in the config file to the DAG's id`);
  }
  if (dag.isPaused) {
    return fail(name, `${dagId} is paused: its runs would stay queued`, `unpause it: airflow dags unpause ${dagId}, or the toggle in the Airflow UI`);
  }
  if (dag.isActive === false) {
    return fail(name, `${dagId} is no longer active: Airflow lost its DAG file`, `redeploy the DAG file of ${dagId} to the Airflow DAGs folder`);
  }
  return pass(name, `source ${source}: exists, not paused`);
}
