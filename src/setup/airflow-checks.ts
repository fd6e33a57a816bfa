import type { DeclaredParam } from '../airflow/dag-params.js';
import type { AirflowInstance } from '../airflow/environments.js';
import type { RunConf } from '../airflow/gateway.js';
import { dagIdFor, type Config } from '../config/schema.js';
import { airflowChecks, dagCheckName } from '../doctor/airflow-checks.js';
import { fail, pass, skipped, type Check } from '../doctor/checks.js';
import { environmentHint } from '../doctor/environment-checks.js';
import { airflowFailure } from '../doctor/failures.js';
import { CONF_KEYS, confProblems } from './airflow-conf.js';

export interface SetupAirflowDeps {
  config: Config;
  /** Every distinct Airflow: the default one and each environment's own. */
  instances: readonly AirflowInstance[];
  /** The params a DAG declares on this Airflow (GET /dags/{id}/details); null when it has no such DAG. */
  dagParams(instance: AirflowInstance, dagId: string): Promise<DeclaredParam[] | null>;
}

/**
 * Per Airflow: the doctor's API and DAG checks (exists, not paused, active), each DAG's followed by
 * whether its declared params fit the conf the reconciler sends (read whenever the API answered). Lines of an environment's own Airflow
 * carry the environments' names, as in doctor.
 */
export async function setupAirflowChecks(deps: SetupAirflowDeps): Promise<Check[]> {
  const checks: Check[] = [];
  for (const instance of deps.instances) {
    const suffix = instance.name === 'default' ? '' : ` (${instance.environments.join(', ')})`;
    const base = await airflowChecks({ config: instance.config, airflow: instance.gateway });
    const apiAnswered = base[0]?.ok === true;
    const lines: Check[] = [];
    for (const check of base) {
      lines.push({ ...check, name: `${check.name}${suffix}` });
      const source = Object.keys(deps.config.sources).find((s) => dagCheckName(dagIdFor(instance.config, s)) === check.name);
      if (source === undefined) continue;
      const dagId = dagIdFor(instance.config, source);
      const name = `${confCheckName(dagId)}${suffix}`;
      // A paused DAG's params are still worth reading: the operator fixes both at once.
      lines.push(apiAnswered ? await confCheck(deps, instance, source, dagId, name) : skipped(name, 'the Airflow API', `airflow api${suffix}`));
    }
    checks.push(...lines.map((line) => forSetup(suffix === '' ? line : withEnvironmentHints(line, instance))));
  }
  return checks;
}

/** The doctor's hints say to run doctor again; here it is setup airflow that is run again. */
function forSetup(check: Check): Check {
  return check.hint === undefined ? check : { ...check, hint: check.hint.replaceAll('run doctor again', 'run setup airflow again') };
}

export function confCheckName(dagId: string): string {
  return `airflow dag ${dagId} conf`;
}

async function confCheck(deps: SetupAirflowDeps, instance: AirflowInstance, source: string, dagId: string, name: string): Promise<Check> {
  let declared: DeclaredParam[] | null;
  try {
    declared = await deps.dagParams(instance, dagId);
  } catch (error) {
    return airflowFailure(name, error, instance.config);
  }
  if (declared === null) return skipped(name, `the DAG ${dagId}`, name.replace(/ conf( |$)/, '$1'));
  if (declared.length === 0) return pass(name, 'declares no params: Airflow takes the conf as the reconciler sends it');
  const problems = confProblems(declared, samples(deps.config, source));
  if (problems.length === 0) return pass(name, `declares the conf keys ${CONF_KEYS.join(', ')}; the reconciler's conf fits its params`);
  return fail(
    name,
    `Airflow checks each trigger's conf against the DAG's params: ${problems.join('; ')}`,
    `in ${dagId}'s DAG file, declare a Param for each of ${CONF_KEYS.join(', ')} (params as an object) and give every other param a default, ` +
      'or drop the DAG-level params; jira-airflow-reconciler setup airflow --print-dag writes a DAG that fits',
  );
}

/** One conf per run type and environment the reconciler could send for this source (the ticket's own Parameters aside). */
function samples(config: Config, source: string): RunConf[] {
  const projects = Object.values(config.projectSettings);
  const runTypes = unique([...config.runTypes, ...projects.flatMap((project) => project.runTypes)]);
  const environments = unique([...config.environments, ...projects.flatMap((project) => project.environments)]);
  const issue = `${config.jira.projects[0] ?? 'SCR'}-1`;
  return runTypes.flatMap((runType) =>
    environments.map((environment) => ({ jira_issue_key: issue, source, run_type: runType, params: {}, environment })),
  );
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

function withEnvironmentHints(check: Check, instance: AirflowInstance): Check {
  const hint = environmentHint(check.hint, instance);
  return hint === undefined ? check : { ...check, hint };
}
