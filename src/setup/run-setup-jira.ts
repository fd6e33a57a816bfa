import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Config } from '../config/schema.js';
import { jiraFlavour, type JiraFlavour } from '../jira/flavour.js';
import { applyPlan } from './apply.js';
import { mergeConfig, type FieldIdMap } from './config-block.js';
import { planJira } from './plan.js';
import { renderSetup } from './report.js';
import { createSetupHttp, type SetupHttp } from './setup-http.js';
import { readSite } from './site.js';
import { permissionLines } from './token-permissions.js';
import { wantedFields, wantedStatuses, type WantedStatus } from './wanted.js';

export interface SetupJiraOptions {
  apply: boolean;
  /** A config file to write the field ids into (merged when it exists). */
  writeConfig?: string;
  /** A test double for the HTTP client. */
  http?: SetupHttp;
}

export interface SetupJiraResult {
  text: string;
  complete: boolean;
  /** The field ids Jira has (found or made). */
  ids: FieldIdMap;
}

/** `setup jira`: reads the site, plans, applies when asked, and says what is left for an admin. */
export async function runSetupJira(config: Config, options: SetupJiraOptions): Promise<SetupJiraResult> {
  const flavour = jiraFlavour(config);
  const http = options.http ?? createSetupHttp({ apiUrl: apiUrl(config, flavour), authorization: authorization(config), timeoutMs: config.http.timeoutMs });
  const fields = wantedFields(config);
  const site = await readSite(http, flavour, config.jira.projects, fields);
  const statuses = new Map<string, WantedStatus[]>();
  for (const project of config.jira.projects) {
    const workflow = site.workflows.get(project);
    statuses.set(project, wantedStatuses(config, project, workflow?.ok ? workflow.value.initial : null));
  }
  const plan = planJira({ fields, statuses, site });
  // The token's own project permissions: what is missing is an admin's to grant, like a transition.
  plan.manual.push(...(await permissionLines(http, config.jira.projects)));
  const applied = options.apply ? await applyPlan(http, plan) : null;
  // Only ids Jira has: a field still to be made has none yet.
  const ids = applied?.ids ?? plan.ids;
  const report = renderSetup({ flavour, plan, applied, ids, fieldCount: fields.length, counts: http.counts });
  let text = `Jira ${flavour === 'cloud' ? 'Cloud' : 'Data Center'} at ${config.jira.baseUrl}, projects ${config.jira.projects.join(', ')}${options.apply ? '' : ' (a plan: nothing is changed without --apply)'}\n\n${report.text}`;
  if (options.writeConfig !== undefined) {
    const path = options.writeConfig;
    const existing = existsSync(path) ? readFileSync(path, 'utf8') : null;
    writeFileSync(path, mergeConfig(path, existing, ids));
    text += `Wrote jira.fields to ${path}${existing === null ? '' : ' (other keys and comments kept)'}.\n`;
  }
  return { text, complete: report.complete, ids };
}

function apiUrl(config: Config, flavour: JiraFlavour): string {
  return `${config.jira.baseUrl.replace(/\/+$/, '')}/rest/api/${flavour === 'cloud' ? '3' : '2'}`;
}

/** The same credentials the daemon uses, or an admin's given for this one run. */
function authorization(config: Config): string | null {
  const { jiraUsername, jiraApiToken, jiraPat } = config.secrets;
  if (jiraUsername && jiraApiToken) return `Basic ${Buffer.from(`${jiraUsername}:${jiraApiToken}`).toString('base64')}`;
  return jiraPat ? `Bearer ${jiraPat}` : null;
}
