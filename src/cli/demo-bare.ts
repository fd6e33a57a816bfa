import { join } from 'node:path';
import type { Runtime } from '../app.js';
import { readConfig } from '../config/read-config.js';
import type { Config } from '../config/schema.js';
import { allPassed } from '../doctor/checks.js';
import { renderText } from '../doctor/render.js';
import { runDoctor } from '../doctor/run-doctor.js';
import { jiraFlavour } from '../jira/flavour.js';
import type { JiraSim } from '../sandbox/jira/server.js';
import type { FieldIdMap } from '../setup/config-block.js';
import { runSetupJira } from '../setup/run-setup-jira.js';
import { wantedFields } from '../setup/wanted.js';

/**
 * `demo --bare`: the simulated Jira starts as a new site; setup plans, applies, the demo plays the Jira
 * admin for the steps setup cannot take, and doctor must pass before any ticket is seeded.
 * Returns the field ids for the daemon's config, or null when doctor failed.
 */
export async function prepareBareJira(jira: JiraSim, env: Record<string, string>, dir: string, runtime: Runtime): Promise<FieldIdMap | null> {
  const out = runtime.stdout;
  const path = join(dir, 'jira-setup.yaml');
  const config = readConfig(env, null);
  const heading = (text: string): boolean => out.write(`\n== ${text} ==\n`);

  heading('jira-airflow-reconciler setup jira (a plan)');
  out.write((await runSetupJira(config, { apply: false })).text);
  heading(`jira-airflow-reconciler setup jira --apply --write-config ${path}`);
  out.write((await runSetupJira(config, { apply: true, writeConfig: path })).text);
  heading('The steps only a Jira admin can take (the demo plays the admin)');
  for (const line of actAsAdmin(jira, config)) out.write(`  ${line}\n`);
  heading('jira-airflow-reconciler setup jira --apply, again: nothing left to write');
  const again = await runSetupJira(config, { apply: true });
  out.write(again.text);
  heading(`jira-airflow-reconciler doctor --config ${path}`);
  const { checks } = await runDoctor({ ...runtime, env }, path);
  out.write(renderText(checks));
  return again.complete && allPassed(checks) ? again.ids : null;
}

/** What the admin does by hand: Data Center's options and statuses, and on both the workflow's transitions. */
function actAsAdmin(jira: JiraSim, config: Config): string[] {
  const done: string[] = [];
  const fieldId = (name: string): string => {
    const id = jira.fieldId(name);
    if (!id) throw new Error(`setup did not make field '${name}'`);
    return id;
  };
  const { ready, completed, failed, cancelled } = config.jira.statuses;
  if (jiraFlavour(config) === 'datacenter') {
    for (const field of wantedFields(config).filter((f) => f.kind === 'select')) {
      jira.addOptions(fieldId(field.name), field.options);
      done.push(`added options ${field.options.join(', ')} to '${field.name}'`);
    }
    jira.addStatus(ready, 'indeterminate');
    for (const status of [completed, failed, cancelled]) jira.addStatus(status, 'done');
    done.push(`created statuses '${ready}', '${completed}', '${failed}', '${cancelled}'`);
  }
  jira.addTransition('Submit for run', ['Open', completed, failed, cancelled], ready);
  for (const status of [completed, failed, cancelled]) jira.addTransition(`To ${status}`, [ready], status);
  done.push(`added '${ready}' and '${completed}', '${failed}', '${cancelled}' to the workflow, with transitions from Open and from '${ready}'`);
  return done;
}
