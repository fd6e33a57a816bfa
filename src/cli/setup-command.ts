import type { Runtime } from '../app.js';
import { loadConfig } from '../config/load-config.js';
import { runSetupJira } from '../setup/run-setup-jira.js';
import { SetupHttpError } from '../setup/setup-http.js';
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
  try {
    const result = await runSetupJira(config, { apply: values.apply === true, ...(writeConfig === undefined ? {} : { writeConfig }) });
    runtime.stdout.write(result.text);
    return result.complete ? 0 : 1;
  } catch (error) {
    if (!(error instanceof SetupHttpError)) throw error;
    runtime.stderr.write(`setup jira: ${error.message}\n  ${hint(error)}\n`);
    return 1;
  }
}

/** What to check when Jira did not answer a read as setup expects (refusals of single changes are reported per line instead). */
function hint(error: SetupHttpError): string {
  if (error.status === 401) return 'check the credentials: JIRA_USERNAME and JIRA_API_TOKEN (Jira Cloud) or JIRA_PAT (Data Center), then run setup again';
  if (error.status === 404) return 'check JIRA_BASE_URL and JIRA_PROJECTS: Jira has no such resource there';
  return 'Jira could not answer; check JIRA_BASE_URL and that the site is up, then run setup again (it resumes where it stopped: nothing is made twice)';
}
