import type { AirflowInstance, AirflowRouter } from '../airflow/environments.js';
import { airflowChecks } from './airflow-checks.js';
import type { Check } from './checks.js';

/**
 * Each environment with an Airflow of its own (environments.<env>.airflowBaseUrl) gets the same checks as
 * the default Airflow (version, API version, credentials, DAGs), named after the environment.
 */
export async function environmentChecks(router: AirflowRouter): Promise<Check[]> {
  const checks: Check[] = [];
  for (const instance of router.instances()) {
    if (instance.name === 'default') continue;
    const own = await airflowChecks({ config: instance.config, airflow: instance.gateway });
    const envs = instance.environments.join(', ');
    for (const check of own) {
      const hint = environmentHint(check.hint, instance);
      checks.push({ ...check, name: `${check.name} (${envs})`, ...(hint === undefined ? {} : { hint }) });
    }
  }
  return checks;
}

/** A hint about the default Airflow, reworded for an environment's own: its settings and secrets. */
export function environmentHint(hint: string | undefined, instance: Pick<AirflowInstance, 'name' | 'secretPrefix'>): string | undefined {
  return hint
    ?.replaceAll('AIRFLOW_BASE_URL', `environments.${instance.name}.airflowBaseUrl`)
    .replaceAll('AIRFLOW_API_VERSION', `environments.${instance.name}.airflowApiVersion`)
    .replace(/AIRFLOW_(TOKEN|USER|PASS)/g, `${instance.secretPrefix}_$1`);
}
