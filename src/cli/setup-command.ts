import type { Runtime } from '../app.js';
import { loadConfig } from '../config/load-config.js';
import { runSetupJira } from '../setup/run-setup-jira.js';
import { setupSpec } from './setup-spec.js';
import { parseCommand, UsageError } from './usage.js';

type SetupTarget = (argv: readonly string[], runtime: Runtime) => Promise<number>;

/** One entry per thing setup prepares. */
const TARGETS: Record<string, SetupTarget> = {
  jira: setupJira,
};

export async function setupCommand(argv: readonly string[], runtime: Runtime): Promise<number> {
  const [target, ...rest] = argv;
  const run = target === undefined ? undefined : TARGETS[target];
  if (!run) {
    const known = Object.keys(TARGETS).join(', ');
    throw new UsageError(`${target === undefined ? 'say what to set up' : `unknown target "${target}"`}: use one of ${known}\nRun 'jira-airflow-reconciler setup --help' for usage.`);
  }
  return run(rest, runtime);
}

async function setupJira(argv: readonly string[], runtime: Runtime): Promise<number> {
  const { values } = parseCommand(setupSpec, argv);
  const config = loadConfig(runtime.env, values.config);
  const writeConfig = values['write-config'];
  const result = await runSetupJira(config, { apply: values.apply === true, ...(writeConfig === undefined ? {} : { writeConfig }) });
  runtime.stdout.write(result.text);
  return result.complete ? 0 : 1;
}
