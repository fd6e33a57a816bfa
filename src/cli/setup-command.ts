import type { Runtime } from '../app.js';
import { loadConfig } from '../config/load-config.js';
import { runSetupJira } from '../setup/run-setup-jira.js';
import { SetupHttpError } from '../setup/setup-http.js';
import { setupJiraSpec } from './setup-spec.js';
import { parseCommand } from './usage.js';

/** `setup jira`: plans, or with --apply makes, what Jira needs (see src/setup/). */
export async function setupJiraCommand(argv: readonly string[], runtime: Runtime): Promise<number> {
  const { values } = parseCommand(setupJiraSpec, argv);
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
