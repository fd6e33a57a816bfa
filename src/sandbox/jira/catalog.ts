import { FIELDS, type FieldDefinition, type SelectOption } from './fields.js';
import { STATUSES, TRANSITIONS, type StatusCategoryKey, type StatusDefinition, type TransitionDefinition } from './workflow.js';

/** 'full': the reconciler's fields, statuses and transitions exist; 'bare': a new site, as `setup jira` finds one. */
export type JiraSimMode = 'full' | 'bare';

export interface SimScreenTab {
  id: number;
  name: string;
  fields: string[];
}

export interface SimScreen {
  id: number;
  name: string;
  tabs: SimScreenTab[];
}

/** A new site's workflow: Jira's simplest, Open -> In Progress -> Done. */
const BARE_STATUSES: readonly StatusDefinition[] = [
  { id: '1', name: 'Open', category: 'new' },
  { id: '3', name: 'In Progress', category: 'indeterminate' },
  { id: '10001', name: 'Done', category: 'done' },
];

const BARE_TRANSITIONS: readonly TransitionDefinition[] = [
  { id: '11', name: 'Start progress', to: 'In Progress', from: ['Open'], outcomeScreen: false },
  { id: '21', name: 'Done', to: 'Done', from: ['Open', 'In Progress'], outcomeScreen: false },
  { id: '31', name: 'Reopen', to: 'Open', from: ['Done'], outcomeScreen: false },
];

const FIRST_CUSTOM_ID = 10042;

/**
 * What a simulated site is configured with: its fields and their options, statuses, the one workflow
 * every project uses, and the screens. Per simulator, since setup's admin endpoints change it.
 */
export class JiraCatalog {
  readonly fields: FieldDefinition[];
  readonly statuses: StatusDefinition[];
  readonly transitions: TransitionDefinition[];
  readonly screens: SimScreen[];
  private nextCustomId: number;
  private nextStatusId = 10100;
  private nextTransitionId = 100;
  private nextOptionId = 20000;

  constructor(readonly mode: JiraSimMode) {
    const bare = mode === 'bare';
    this.fields = structuredClone((bare ? FIELDS.filter((field) => !field.custom) : FIELDS) as FieldDefinition[]);
    this.statuses = structuredClone((bare ? BARE_STATUSES : STATUSES) as StatusDefinition[]);
    this.transitions = structuredClone((bare ? BARE_TRANSITIONS : TRANSITIONS) as TransitionDefinition[]);
    const editable = this.fields.filter((field) => field.editable).map((field) => field.id);
    this.screens = [{ id: 1, name: 'Default Screen', tabs: [{ id: 10000, name: 'Field Tab', fields: editable }] }];
    this.nextCustomId = FIRST_CUSTOM_ID;
  }

  /** Where a new ticket starts. */
  get initialStatus(): string {
    return this.statuses[0]?.name ?? 'To Do';
  }

  field(id: string): FieldDefinition | undefined {
    return this.fields.find((field) => field.id === id);
  }

  /** Resolves a JQL field reference: id, cf[N], or display name (case-insensitive). */
  jqlField(reference: string): FieldDefinition | undefined {
    const lower = reference.toLowerCase();
    const cf = /^cf\[(\d+)\]$/.exec(lower);
    if (cf) return this.fields.find((field) => field.customId === Number(cf[1]));
    return this.fields.find((field) => field.id === lower || field.id === reference || field.name.toLowerCase() === lower);
  }

  status(nameOrId: string): StatusDefinition | undefined {
    const lower = nameOrId.toLowerCase();
    return this.statuses.find((status) => status.id === nameOrId || status.name.toLowerCase() === lower);
  }

  transitionsFrom(status: string): TransitionDefinition[] {
    return this.transitions.filter((transition) => transition.from.includes(status));
  }

  /** Statuses the workflow uses: the initial one and every transition's ends. */
  workflowStatuses(): StatusDefinition[] {
    const used = new Set([this.initialStatus, ...this.transitions.flatMap((transition) => [transition.to, ...transition.from])]);
    return this.statuses.filter((status) => used.has(status.name));
  }

  /** Editable fields on a screen: what an edit (and the create screen) may set. */
  onScreen(): FieldDefinition[] {
    const placed = new Set(this.screens.flatMap((screen) => screen.tabs.flatMap((tab) => tab.fields)));
    return this.fields.filter((field) => field.editable && placed.has(field.id));
  }

  addField(name: string, kind: 'select' | 'textarea' | 'textfield'): FieldDefinition {
    const customId = this.nextCustomId++;
    const field: FieldDefinition = { id: `customfield_${customId}`, name, kind, custom: true, editable: true, customId, ...(kind === 'select' ? { options: [] } : {}) };
    this.fields.push(field);
    return field;
  }

  addOption(field: FieldDefinition, value: string): SelectOption {
    const option = { id: String(this.nextOptionId++), value };
    (field.options ??= []).push(option);
    return option;
  }

  addStatus(name: string, category: StatusCategoryKey): StatusDefinition {
    const status = { id: String(this.nextStatusId++), name, category };
    this.statuses.push(status);
    return status;
  }

  /** What an admin does in the workflow editor (no REST API on Data Center; a test stands in for the admin). */
  addTransition(name: string, from: readonly string[], to: string): TransitionDefinition {
    for (const status of [...from, to]) if (!this.status(status)) throw new Error(`Unknown status '${status}'`);
    const transition = { id: String(this.nextTransitionId++), name, to, from: [...from], outcomeScreen: false };
    this.transitions.push(transition);
    return transition;
  }
}
