import { writeFileSync } from 'node:fs';
import { readDagParams } from '../airflow/dag-params.js';
import { createAirflowGateway } from '../airflow/airflow-gateway.js';
import { createAirflowClient, type AirflowClient } from '../airflow/client.js';
import { createAirflowGateways, type AirflowInstance } from '../airflow/environments.js';
import { loggerFor, type Runtime } from '../app.js';
import { loadConfig } from '../config/load-config.js';
import type { Config } from '../config/schema.js';
import { secretValues } from '../config/secrets.js';
import { allPassed } from '../doctor/checks.js';
import { redactor, renderText } from '../doctor/render.js';
import { setupAirflowChecks } from '../setup/airflow-checks.js';
import { readDagTemplate, renderExampleDag } from '../setup/airflow-dag.js';
import { dagSettingsFromConfig } from '../setup/dag-config.js';
import { setupAirflowSpec } from './setup-airflow-spec.js';
import { parseCommand, UsageError } from './usage.js';

/** As doctor: one retry, and no request waits longer than this. */
const RETRIES = 1;
const TIMEOUT_MS = 10_000;

export async function setupAirflowCommand(argv: readonly string[], runtime: Runtime): Promise<number> {
  const { values } = parseCommand(setupAirflowSpec, argv);
  const print = values['print-dag'] === true;
  const file = values['write-dag'];
  if (print && file !== undefined) throw new UsageError('--print-dag and --write-dag FILE both say where the DAG goes; give one');
  if (file === '') throw new UsageError('--write-dag needs a file name');

  if (print || file !== undefined) {
    const settings = dagSettingsFromConfig(runtime.env, values.config);
    const text = renderExampleDag(readDagTemplate(), settings);
    if (file === undefined) {
      runtime.stdout.write(text);
      return 0;
    }
    writeDag(file, text);
    const ids = settings.dags.map((dag) => dag.dagId);
    runtime.stdout.write(`Wrote ${file}: DAGs ${ids.join(', ')}. Put it in the Airflow DAGs folder, then unpause the DAGs and run setup airflow again.\n`);
    return 0;
  }

  const loaded = loadConfig(runtime.env, values.config);
  const config: Config = { ...loaded, http: { ...loaded.http, retries: RETRIES, timeoutMs: Math.min(loaded.http.timeoutMs, TIMEOUT_MS) } };
  const log = loggerFor(config, runtime, 'stderr');
  // Each Airflow's gateway and its params reads share one client: one login on Airflow 3.
  const clients = new Map<Config, AirflowClient>();
  const router = createAirflowGateways({
    config,
    clock: runtime.clock,
    log,
    create: (deps) => {
      const client = createAirflowClient(deps);
      clients.set(deps.config, client);
      return createAirflowGateway({ ...deps, client });
    },
  });
  const dagParams = (instance: AirflowInstance, dagId: string) => {
    const client = clients.get(instance.config);
    if (!client) throw new Error(`no Airflow client for ${instance.name}`);
    return readDagParams({ client }, dagId);
  };
  const checks = await setupAirflowChecks({ config, instances: router.instances(), dagParams });
  const redact = redactor(secretValues(config.secrets));
  runtime.stdout.write(redact(renderText(checks)));
  return allPassed(checks) ? 0 : 1;
}

function writeDag(file: string, text: string): void {
  try {
    writeFileSync(file, text);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unwritable';
    throw new Error(`cannot write ${file} (${code}): check that its folder exists and is writable, or use --print-dag and redirect the output`, { cause: error });
  }
}
