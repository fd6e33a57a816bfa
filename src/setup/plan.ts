import type { JiraFlavour } from '../jira/flavour.js';
import { findField, type Site, type SiteScreen } from './site.js';
import type { FieldRole, WantedField, WantedStatus } from './wanted.js';

/** One write setup can make by REST; fields it creates get their id when the write is made. */
export type Step =
  | { kind: 'createField'; field: WantedField }
  | { kind: 'addOptions'; field: WantedField; values: string[]; contextId: string | null }
  | { kind: 'addToScreen'; field: WantedField; screen: SiteScreen }
  | { kind: 'createStatus'; status: WantedStatus };

export interface Plan {
  /** Each field's id where it exists already. */
  ids: Partial<Record<FieldRole, string>>;
  /** What is in place, one line each. */
  inPlace: string[];
  steps: Step[];
  /** What only an admin can do in Jira's administration pages, in order. */
  manual: string[];
}

export interface PlanInput {
  fields: readonly WantedField[];
  /** Per project, the statuses its workflow must reach. */
  statuses: ReadonlyMap<string, readonly WantedStatus[]>;
  site: Site;
}

export const KIND_NAMES = { select: 'single select', textarea: 'multi-line text', textfield: 'single-line text' } as const;
/** Source may also be a text field, as doctor accepts. */
const ACCEPTED: Partial<Record<FieldRole, readonly string[]>> = { source: ['select', 'textfield'] };

/** What setup would do on this site: a pure function of what it read. Never a delete or a rename. */
export function planJira(input: PlanInput): Plan {
  const plan: Plan = { ids: {}, inPlace: [], steps: [], manual: [] };
  const screens = input.site.screens;
  if (!screens.ok) plan.manual.push(`screens not read (${screens.why}): an admin must check that ${input.fields.map((f) => `'${f.name}'`).join(', ')} are on the projects' edit screens`);
  for (const field of input.fields) planField(plan, input.site, field);
  planStatuses(plan, input);
  return plan;
}

function planField(plan: Plan, site: Site, want: WantedField): void {
  const found = findField(site.fields, want);
  const screens = site.screens.ok ? site.screens.value : [];
  if (!found) {
    plan.steps.push({ kind: 'createField', field: want });
    if (want.options.length > 0) {
      if (site.flavour === 'cloud') plan.steps.push({ kind: 'addOptions', field: want, values: want.options, contextId: null });
      else plan.manual.push(optionsByHand(want, want.options, site.flavour));
    }
    for (const screen of screens) plan.steps.push({ kind: 'addToScreen', field: want, screen });
    return;
  }
  const accepted = ACCEPTED[want.role] ?? [want.kind];
  if (found.kind === null || !accepted.includes(found.kind)) {
    plan.manual.push(`field '${found.name}' (${found.id}) is ${found.kind ? KIND_NAMES[found.kind] : 'of another type'}, expected ${KIND_NAMES[want.kind]}: setup changes no existing field; point jira.fields.${want.role} at a ${KIND_NAMES[want.kind]} field, or have an admin create one named '${want.name}'`);
    return;
  }
  plan.ids[want.role] = found.id;
  plan.inPlace.push(`field ${want.name}: ${found.id} (${KIND_NAMES[found.kind]})`);
  if (found.kind === 'select' && want.options.length > 0) {
    const options = site.options.get(found.id);
    if (!options?.ok) plan.manual.push(`options of '${found.name}' not read (${options?.why ?? 'no read'}): an admin must check it offers ${want.options.join(', ')}`);
    else {
      const missing = want.options.filter((value) => !options.value.values.includes(value));
      if (missing.length === 0) plan.inPlace.push(`options of ${want.name}: ${want.options.join(', ')}`);
      else if (options.value.contextId !== null) plan.steps.push({ kind: 'addOptions', field: want, values: missing, contextId: options.value.contextId });
      else plan.manual.push(optionsByHand(want, missing, site.flavour));
    }
  }
  for (const screen of screens) {
    if (screen.fields.includes(found.id)) plan.inPlace.push(`${want.name} on screen '${screen.name}'`);
    else plan.steps.push({ kind: 'addToScreen', field: want, screen });
  }
}

function optionsByHand(want: WantedField, values: readonly string[], flavour: JiraFlavour): string {
  const where = flavour === 'cloud' ? 'Settings > Issues > Custom fields' : 'Administration > Issues > Custom fields';
  return `add options to '${want.name}' (Data Center has no REST API for options): ${where} > '${want.name}' > Contexts and default value > Edit options: add ${values.join(', ')}`;
}

function planStatuses(plan: Plan, input: PlanInput): void {
  const { site } = input;
  const known = new Set(site.statuses.map((name) => name.toLowerCase()));
  const created = new Set<string>();
  for (const wanted of input.statuses.values()) {
    for (const status of wanted) {
      const key = status.name.toLowerCase();
      if (!known.has(key) && !created.has(key)) {
        created.add(key);
        if (site.flavour === 'cloud') plan.steps.push({ kind: 'createStatus', status });
        else plan.manual.push(`create status '${status.name}' (Data Center has no REST API for statuses): Administration > Issues > Statuses > Add status, category ${CATEGORY_NAMES[status.category]}`);
      }
    }
  }
  for (const [project, wanted] of input.statuses) {
    const workflow = site.workflows.get(project);
    if (!workflow?.ok) {
      plan.manual.push(`project ${project}'s workflow not read (${workflow?.why ?? 'no read'}): an admin must check it reaches ${wanted.map((s) => `'${s.name}'`).join(', ')}`);
      continue;
    }
    const inWorkflow = new Set(workflow.value.statuses.map((name) => name.toLowerCase()));
    const missing = wanted.filter((status) => !inWorkflow.has(status.name.toLowerCase()));
    const present = wanted.filter((status) => inWorkflow.has(status.name.toLowerCase()));
    if (present.length > 0) plan.inPlace.push(`project ${project}'s workflow has ${present.map((s) => `'${s.name}'`).join(', ')}`);
    for (const status of missing) {
      const from = status.from.filter((name) => name.toLowerCase() !== status.name.toLowerCase());
      plan.manual.push(
        `in project ${project}'s workflow (${site.flavour === 'cloud' ? 'Project settings > Workflows' : 'Administration > Issues > Workflows'} > Edit), add status '${status.name}' and a transition to it from ${from.map((name) => `'${name}'`).join(', ')} (any name: the daemon looks for the target status), then publish`,
      );
    }
  }
}

export const CATEGORY_NAMES = { TODO: 'To Do', IN_PROGRESS: 'In Progress', DONE: 'Done' } as const;
