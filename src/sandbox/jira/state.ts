import { isAdfDoc, textToAdf, type AdfDoc } from './adf.js';
import { displayString } from './field-values.js';
import type { FieldDefinition } from './fields.js';
import { PERSON, type History, type HistoryItem, type SimIssue, type SimUser, type StoredComment } from './model.js';
import type { JiraCatalog } from './catalog.js';

export interface CreateIssueInput {
  project?: string;
  summary?: string;
  status?: string;
  source?: string;
  runType?: string;
  environment?: string;
  /** An object becomes pretty JSON text; stored as an ADF doc. */
  params?: string | object;
  /** Raw extra field values, stored as given. */
  fields?: Record<string, unknown>;
}

interface Snapshot {
  at: number;
  issue: SimIssue;
}

/** The simulator's issues, with per-issue snapshots so search can lag behind writes. */
export class JiraState {
  private readonly issues = new Map<string, SimIssue>();
  private readonly snapshots = new Map<string, Snapshot[]>();
  private readonly projectCounters = new Map<string, number>();
  private nextIssueId = 10000;
  private nextHistoryId = 100000;
  private nextCommentId = 20000;

  constructor(
    readonly projects: readonly string[],
    readonly now: () => number,
    readonly searchLagMs: number,
    /** The REST API root URL, for the `self` links of stored select values. */
    private readonly apiUrl: () => string,
    readonly catalog: JiraCatalog,
  ) {}

  create(input: CreateIssueInput): SimIssue {
    const project = input.project ?? this.projects[0] ?? 'SCR';
    if (!this.projects.includes(project)) throw new Error(`Unknown project ${project}; the simulator has ${this.projects.join(', ')}`);
    const status = this.catalog.status(input.status ?? this.catalog.initialStatus);
    if (!status) throw new Error(`Unknown status '${input.status}'`);
    const number = (this.projectCounters.get(project) ?? 0) + 1;
    this.projectCounters.set(project, number);
    const at = this.now();
    const issue: SimIssue = {
      id: String(++this.nextIssueId),
      key: `${project}-${number}`,
      project,
      status: status.name,
      fields: { summary: input.summary ?? `Scrape request ${number}`, description: null, labels: [], ...this.customFields(input), ...input.fields },
      created: at,
      updated: at,
      histories: [],
      comments: [],
      properties: {},
    };
    this.issues.set(issue.key, issue);
    this.snapshot(issue);
    return issue;
  }

  /** The request's values in the fields of those names (a bare site has them once setup made them). */
  private customFields(input: CreateIssueInput): Record<string, unknown> {
    const params = input.params === undefined ? null : textToAdf(typeof input.params === 'string' ? input.params : JSON.stringify(input.params, null, 2));
    const values: Array<[string, unknown]> = [
      ['Source', this.option('Source', input.source)],
      ['Run Type', this.option('Run Type', input.runType)],
      ['Parameters', params],
      ['Environment', this.option('Environment', input.environment)],
      ['Airflow Run ID', null],
      ['Run Status', null],
      ['Platform Run ID', null],
    ];
    return Object.fromEntries(values.flatMap(([name, value]) => {
      const field = this.customField(name);
      return field ? [[field.id, value]] : [];
    }));
  }

  private customField(name: string): FieldDefinition | undefined {
    return this.catalog.fields.find((field) => field.custom && field.name === name);
  }

  /** A value outside the options is kept as a disabled option, the way Jira shows one removed after use. */
  private option(fieldName: string, value: string | undefined): unknown {
    if (value === undefined) return null;
    const option = this.customField(fieldName)?.options?.find((candidate) => candidate.value === value);
    const id = option?.id ?? '99999';
    return { self: `${this.apiUrl()}/customFieldOption/${id}`, value, id };
  }

  get(keyOrId: string): SimIssue | undefined {
    const upper = keyOrId.toUpperCase();
    const byKey = this.issues.get(upper);
    if (byKey) return byKey;
    for (const issue of this.issues.values()) if (issue.id === keyOrId) return issue;
    return undefined;
  }

  all(): SimIssue[] {
    return [...this.issues.values()];
  }

  move(issue: SimIssue, statusName: string, author: SimUser = PERSON): void {
    this.change(issue, { status: statusName }, author);
  }

  /** Applies a status move and field values as one changelog entry (nothing recorded when nothing changed). */
  change(issue: SimIssue, change: { status?: string; fields?: Record<string, unknown> }, author: SimUser): void {
    const items: HistoryItem[] = [];
    if (change.status !== undefined) {
      const from = this.catalog.status(issue.status);
      const to = this.catalog.status(change.status);
      if (!to || !from) throw new Error(`Unknown status '${change.status}'`);
      if (from.name !== to.name) {
        issue.status = to.name;
        items.push({ field: 'status', fieldtype: 'jira', fieldId: 'status', from: from.id, fromString: from.name, to: to.id, toString: to.name });
      }
    }
    for (const [fieldId, value] of Object.entries(change.fields ?? {})) {
      const before = issue.fields[fieldId] ?? null;
      if (JSON.stringify(before) === JSON.stringify(value)) continue;
      issue.fields[fieldId] = value;
      items.push(fieldItem(this.catalog, fieldId, before, value));
    }
    if (items.length > 0) this.record(issue, author, items);
  }

  addComment(issue: SimIssue, body: AdfDoc, author: SimUser): StoredComment {
    const at = this.now();
    const comment: StoredComment = { id: String(++this.nextCommentId), author, body, created: at, updated: at };
    issue.comments.push(comment);
    issue.updated = at;
    this.snapshot(issue);
    return comment;
  }

  setProperty(issue: SimIssue, key: string, value: unknown): boolean {
    const existed = key in issue.properties;
    issue.properties[key] = value;
    this.snapshot(issue);
    return existed;
  }

  deleteProperty(issue: SimIssue, key: string): boolean {
    if (!(key in issue.properties)) return false;
    delete issue.properties[key];
    this.snapshot(issue);
    return true;
  }

  private record(issue: SimIssue, author: SimUser, items: HistoryItem[]): void {
    const at = this.now();
    const history: History = { id: String(++this.nextHistoryId), author, created: at, items };
    issue.histories.push(history);
    issue.updated = at;
    this.snapshot(issue);
  }

  private snapshot(issue: SimIssue): void {
    if (this.searchLagMs <= 0) return;
    const horizon = this.now() - this.searchLagMs;
    const list = this.snapshots.get(issue.key) ?? [];
    // Only the newest snapshot at or before the horizon can still be served; older ones are dropped.
    const lastVisible = list.findLastIndex((snapshot) => snapshot.at <= horizon);
    const kept = lastVisible > 0 ? list.slice(lastVisible) : list;
    kept.push({ at: this.now(), issue: structuredClone(issue) });
    this.snapshots.set(issue.key, kept);
  }

  /** The issues as search sees them: `searchLagMs` behind, except the ids asked for read-after-write. */
  searchView(reconcileIds: ReadonlySet<string>): SimIssue[] {
    if (this.searchLagMs <= 0) return this.all();
    const horizon = this.now() - this.searchLagMs;
    const view: SimIssue[] = [];
    for (const issue of this.issues.values()) {
      if (reconcileIds.has(issue.id)) {
        view.push(issue);
        continue;
      }
      const list = this.snapshots.get(issue.key) ?? [];
      const visible = list.filter((snapshot) => snapshot.at <= horizon).at(-1);
      if (visible) view.push(visible.issue);
    }
    return view;
  }
}

function fieldItem(catalog: JiraCatalog, fieldId: string, before: unknown, after: unknown): HistoryItem {
  const field = catalog.field(fieldId);
  return {
    field: field?.name ?? fieldId,
    fieldtype: field?.custom === false ? 'jira' : 'custom',
    fieldId,
    from: optionId(before),
    fromString: isAdfDoc(before) ? null : displayString(before),
    to: optionId(after),
    toString: isAdfDoc(after) ? null : displayString(after),
  };
}

function optionId(value: unknown): string | null {
  if (typeof value === 'object' && value !== null && 'id' in value) return String((value).id);
  return null;
}
