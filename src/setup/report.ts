import type { JiraFlavour } from '../jira/flavour.js';
import { adminInstead, describeStep, type Applied } from './apply.js';
import { configBlock, type FieldIdMap } from './config-block.js';
import type { Plan } from './plan.js';

export interface SetupReport {
  text: string;
  /** True when everything is in place or was made: exit 0. */
  complete: boolean;
}

const ADMIN_TOKEN = "or run 'jira-airflow-reconciler setup jira --apply' once with a Jira admin's credentials (the daemon keeps its own bot token)";

/** The plan, or what applying it did, then what an admin must do, the config block and the request counts. */
export function renderSetup(input: { flavour: JiraFlavour; plan: Plan; applied: Applied | null; ids: FieldIdMap; fieldCount: number; counts: { reads: number; writes: number } }): SetupReport {
  const { plan, applied, flavour } = input;
  const lines: string[] = [];
  for (const line of plan.inPlace) lines.push(`ok       ${line}`);
  let undone = 0;
  if (applied === null) {
    for (const step of plan.steps) lines.push(`to make  ${describeStep(step)}`);
    undone += plan.steps.length;
  } else {
    for (const outcome of applied.outcomes) {
      const what = describeStep(outcome.step);
      if (outcome.result === 'made') lines.push(`made     ${what}`);
      else {
        undone++;
        if (outcome.result === 'refused') lines.push(`refused  ${what} (${outcome.why ?? ''}): ${adminInstead(outcome.step, flavour)}, ${ADMIN_TOKEN}`);
        else lines.push(`${outcome.result.padEnd(8)} ${what}: ${outcome.why ?? ''}`);
      }
    }
  }
  plan.manual.forEach((line, index) => lines.push(`admin ${String(index + 1).padStart(2)} ${line}`));
  const complete = undone === 0 && plan.manual.length === 0;
  const unmade = input.fieldCount - Object.keys(input.ids).length;
  const missing = unmade > 0 ? `; ${unmade} field${unmade === 1 ? ' gets its id' : 's get theirs'} once made` : '';
  lines.push('', `Config, jira.fields with the ids Jira uses${missing}:`, configBlock(input.ids).trimEnd(), '');
  if (applied === null && plan.steps.length > 0) lines.push(`${plan.steps.length} change${plan.steps.length === 1 ? '' : 's'} to make: run again with --apply.`);
  else if (complete) lines.push('Jira has everything the reconciler needs.');
  if (plan.manual.length > 0) lines.push(`${plan.manual.length} thing${plan.manual.length === 1 ? '' : 's'} only a Jira admin can do (listed in order above); then run setup again.`);
  lines.push(`Sent ${input.counts.reads} read${input.counts.reads === 1 ? '' : 's'} and ${input.counts.writes} write${input.counts.writes === 1 ? '' : 's'} to Jira.`);
  return { text: `${lines.join('\n')}\n`, complete };
}
