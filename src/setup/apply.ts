import { CUSTOM_FIELD_TYPE_PREFIX } from '../jira/custom-fields.js';
import type { JiraFlavour } from '../jira/flavour.js';
import { CATEGORY_NAMES, KIND_NAMES, type Plan, type Step } from './plan.js';
import { firstContext } from './site.js';
import { isRefusal, type SetupHttp } from './setup-http.js';
import type { FieldKind, FieldRole } from './wanted.js';

export interface StepOutcome {
  step: Step;
  result: 'made' | 'refused' | 'failed' | 'skipped';
  /** Why it was refused, failed or skipped. */
  why?: string;
}

export interface Applied {
  ids: Partial<Record<FieldRole, string>>;
  outcomes: StepOutcome[];
}

/** The searcher Jira requires for each type (the REST reference's table of valid searchers). */
const SEARCHERS: Readonly<Record<FieldKind, string>> = { select: 'multiselectsearcher', textarea: 'textsearcher', textfield: 'textsearcher' };

/** Makes the plan's writes in order, one request each; a field that could not be made takes its options and screens with it. */
export async function applyPlan(http: SetupHttp, plan: Plan): Promise<Applied> {
  const ids: Partial<Record<FieldRole, string>> = { ...plan.ids };
  const outcomes: StepOutcome[] = [];
  for (const step of plan.steps) {
    const fieldId = 'field' in step ? ids[step.field.role] : undefined;
    if ((step.kind === 'addOptions' || step.kind === 'addToScreen') && fieldId === undefined) {
      outcomes.push({ step, result: 'skipped', why: `field '${step.field.name}' was not made` });
      continue;
    }
    try {
      const made = await make(http, step, fieldId ?? '');
      if (made !== null && 'field' in step) ids[step.field.role] = made;
      outcomes.push({ step, result: 'made' });
    } catch (error) {
      if (isRefusal(error)) outcomes.push({ step, result: 'refused', why: `Jira answered ${error.status}` });
      else outcomes.push({ step, result: 'failed', why: error instanceof Error ? error.message : String(error) });
    }
  }
  return { ids, outcomes };
}

/** Sends the step's one write; returns the id of a field it created. */
async function make(http: SetupHttp, step: Step, fieldId: string): Promise<string | null> {
  switch (step.kind) {
    case 'createField': {
      const { kind, name } = step.field;
      const created = await http.post<{ id: string }>('/field', {
        name,
        description: 'Used by jira-airflow-reconciler',
        type: `${CUSTOM_FIELD_TYPE_PREFIX}${kind}`,
        searcherKey: `${CUSTOM_FIELD_TYPE_PREFIX}${SEARCHERS[kind]}`,
      });
      return created.id;
    }
    case 'addOptions': {
      // A new field's context did not exist when the site was read: one read finds it.
      const contextId = step.contextId ?? (await firstContext(http, fieldId));
      if (contextId === null) throw new Error(`field ${fieldId} has no context to add options to`);
      await http.post(`/field/${fieldId}/context/${contextId}/option`, { options: step.values.map((value) => ({ value })) });
      return null;
    }
    case 'addToScreen':
      await http.post(`/screens/${step.screen.id}/tabs/${step.screen.tabId}/fields`, { fieldId });
      return null;
    case 'createStatus':
      await http.post('/statuses', { scope: { type: 'GLOBAL' }, statuses: [{ name: step.status.name, statusCategory: step.status.category }] });
      return null;
  }
}

/** The step in words, for the plan and the outcome. */
export function describeStep(step: Step): string {
  switch (step.kind) {
    case 'createField':
      return `create ${KIND_NAMES[step.field.kind]} field '${step.field.name}'`;
    case 'addOptions':
      return `add options ${step.values.join(', ')} to '${step.field.name}'`;
    case 'addToScreen':
      return `put '${step.field.name}' on screen '${step.screen.name}'`;
    case 'createStatus':
      return `create status '${step.status.name}' (${CATEGORY_NAMES[step.status.category]})`;
  }
}

/** What a Jira admin does instead, when the token may not: one line per refused step. */
export function adminInstead(step: Step, flavour: JiraFlavour): string {
  const admin = flavour === 'cloud' ? 'Settings > Issues' : 'Administration > Issues';
  switch (step.kind) {
    case 'createField':
      return `a Jira admin must create ${KIND_NAMES[step.field.kind]} field '${step.field.name}' (${admin} > Custom fields > Create custom field)`;
    case 'addOptions':
      return `a Jira admin must add options ${step.values.join(', ')} to '${step.field.name}' (${admin} > Custom fields > '${step.field.name}' > Contexts and default value)`;
    case 'addToScreen':
      return `a Jira admin must add '${step.field.name}' to screen '${step.screen.name}' (${admin} > Screens)`;
    case 'createStatus':
      return `a Jira admin must create status '${step.status.name}' (${admin} > Statuses, category ${CATEGORY_NAMES[step.status.category]})`;
  }
}
