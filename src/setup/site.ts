import { CUSTOM_FIELD_TYPE_PREFIX } from '../jira/custom-fields.js';
import type { JiraFlavour } from '../jira/flavour.js';
import { isRefusal, SetupHttpError, type SetupHttp } from './setup-http.js';
import type { FieldKind, WantedField } from './wanted.js';

/** A read that may be refused (403: it needs Administer Jira) without stopping setup. */
export type Readout<T> = { ok: true; value: T } | { ok: false; why: string };

export interface SiteField {
  id: string;
  name: string;
  kind: FieldKind | null;
}

export interface FieldOptions {
  /** Where new options go: the field's first context (Cloud); null where options cannot be added by REST. */
  contextId: string | null;
  values: string[];
}

export interface SiteScreen {
  id: string;
  name: string;
  tabId: string;
  fields: string[];
}

export interface ProjectWorkflow {
  statuses: string[];
  /** Where new tickets start: the first status of the To Do category. */
  initial: string | null;
}

/** What setup found on the site: everything the plan is a pure function of. */
export interface Site {
  flavour: JiraFlavour;
  fields: SiteField[];
  /** Per select field found, by id. */
  options: Map<string, Readout<FieldOptions>>;
  statuses: string[];
  workflows: Map<string, Readout<ProjectWorkflow>>;
  screens: Readout<SiteScreen[]>;
}

const PAGE_LIMIT = 10;

interface FieldBean {
  id: string;
  name: string;
  schema?: { custom?: string };
}

interface Page<T> {
  values: T[];
  isLast?: boolean;
}

export async function readSite(http: SetupHttp, flavour: JiraFlavour, projects: readonly string[], wanted: readonly WantedField[]): Promise<Site> {
  const beans = await http.get<FieldBean[]>('/field');
  const fields = beans.map((bean) => ({ id: bean.id, name: bean.name, kind: kindOf(bean) }));
  const selects = wanted.flatMap((want) => {
    const found = findField(fields, want);
    return found?.kind === 'select' ? [found.id] : [];
  });
  const options = flavour === 'cloud' ? await cloudOptions(http, selects) : await createScreenOptions(http, projects, selects);
  const statuses = (await http.get<Array<{ name: string }>>('/status')).map((status) => status.name);
  const workflows = new Map<string, Readout<ProjectWorkflow>>();
  for (const project of projects) workflows.set(project, await readout(() => projectWorkflow(http, project)));
  const screens = await readout(() => (flavour === 'cloud' ? cloudScreens(http, projects) : defaultScreen(http)));
  return { flavour, fields, options, statuses, workflows, screens };
}

/** By the configured id, else by name (Jira's own ids, e.g. customfield_10042, are never the defaults). */
export function findField(fields: readonly SiteField[], want: WantedField): SiteField | undefined {
  return fields.find((field) => field.id === want.configuredId) ?? fields.find((field) => field.kind !== null && field.name.toLowerCase() === want.name.toLowerCase());
}

function kindOf(bean: FieldBean): FieldKind | null {
  const type = bean.schema?.custom?.startsWith(CUSTOM_FIELD_TYPE_PREFIX) ? bean.schema.custom.slice(CUSTOM_FIELD_TYPE_PREFIX.length) : null;
  return type === 'select' || type === 'textarea' || type === 'textfield' ? type : null;
}

async function readout<T>(read: () => Promise<T>): Promise<Readout<T>> {
  try {
    return { ok: true, value: await read() };
  } catch (error) {
    if (isRefusal(error)) return { ok: false, why: `Jira refused the read (${error.status}): it needs the Administer Jira permission` };
    // A site without the resource (e.g. no screen 1 on Data Center) leaves that part to an admin rather than stopping setup.
    if (error instanceof SetupHttpError && error.status === 404) return { ok: false, why: error.message };
    throw error;
  }
}

async function paged<T>(http: SetupHttp, path: string, pageSize: number): Promise<T[]> {
  const all: T[] = [];
  for (let page = 0; page < PAGE_LIMIT; page++) {
    const body = await http.get<Page<T>>(path, { startAt: String(all.length), maxResults: String(pageSize) });
    all.push(...body.values);
    if (body.isLast !== false || body.values.length === 0) break;
  }
  return all;
}

/** Cloud: the options of each select field's first context (the global one a new field gets). */
async function cloudOptions(http: SetupHttp, fieldIds: readonly string[]): Promise<Map<string, Readout<FieldOptions>>> {
  const options = new Map<string, Readout<FieldOptions>>();
  for (const id of fieldIds) {
    options.set(id, await readout(async () => {
      const contextId = await firstContext(http, id);
      if (contextId === null) return { contextId: null, values: [] };
      const values = await paged<{ value: string; disabled?: boolean }>(http, `/field/${id}/context/${contextId}/option`, 100);
      return { contextId, values: values.filter((option) => option.disabled !== true).map((option) => option.value) };
    }));
  }
  return options;
}

export async function firstContext(http: SetupHttp, fieldId: string): Promise<string | null> {
  const body = await http.get<Page<{ id: string }>>(`/field/${fieldId}/context`, { maxResults: '1' });
  return body.values[0]?.id ?? null;
}

interface CreateMetaField {
  fieldId: string;
  allowedValues?: Array<{ value?: string; disabled?: boolean }>;
}

/** Data Center has no read of a field's contexts: options are read off the projects' create screens. */
async function createScreenOptions(http: SetupHttp, projects: readonly string[], fieldIds: readonly string[]): Promise<Map<string, Readout<FieldOptions>>> {
  const seen = new Map<string, Set<string>>();
  for (const project of projects) {
    const types = await paged<{ id: string }>(http, `/issue/createmeta/${project}/issuetypes`, 50);
    for (const type of types) {
      for (const field of await paged<CreateMetaField>(http, `/issue/createmeta/${project}/issuetypes/${type.id}`, 50)) {
        if (!field.allowedValues) continue;
        const values = seen.get(field.fieldId) ?? new Set<string>();
        for (const option of field.allowedValues) if (option.value !== undefined && option.disabled !== true) values.add(option.value);
        seen.set(field.fieldId, values);
      }
    }
  }
  const options = new Map<string, Readout<FieldOptions>>();
  for (const id of fieldIds) {
    const values = seen.get(id);
    options.set(id, values ? { ok: true, value: { contextId: null, values: [...values] } } : { ok: false, why: `not on a create screen of ${projects.join(', ')}, where Data Center lists options` });
  }
  return options;
}

interface IssueTypeStatuses {
  statuses: Array<{ name: string; statusCategory?: { key?: string } }>;
}

async function projectWorkflow(http: SetupHttp, project: string): Promise<ProjectWorkflow> {
  const types = await http.get<IssueTypeStatuses[]>(`/project/${project}/statuses`);
  const all = types.flatMap((type) => type.statuses);
  const statuses = [...new Set(all.map((status) => status.name))];
  const initial = all.find((status) => status.statusCategory?.key === 'new')?.name ?? statuses[0] ?? null;
  return { statuses, initial };
}

/** Cloud: the screens named after the projects (company-managed projects' screens are "KEY: ..."), else the Default Screen. */
async function cloudScreens(http: SetupHttp, projects: readonly string[]): Promise<SiteScreen[]> {
  const all = await paged<{ id: number; name: string }>(http, '/screens', 100);
  const own = all.filter((screen) => projects.some((project) => screen.name.startsWith(`${project}: `)));
  const chosen = own.length > 0 ? own : all.filter((screen) => screen.name === 'Default Screen');
  const screens: SiteScreen[] = [];
  for (const screen of chosen) screens.push(await withFirstTab(http, String(screen.id), screen.name));
  return screens;
}

/** Data Center: the Default Screen, id 1 on every site, where Jira itself puts a new field's first screen. */
async function defaultScreen(http: SetupHttp): Promise<SiteScreen[]> {
  return [await withFirstTab(http, '1', 'Default Screen')];
}

async function withFirstTab(http: SetupHttp, id: string, name: string): Promise<SiteScreen> {
  const tabs = await http.get<Array<{ id: number }>>(`/screens/${id}/tabs`);
  const tab = tabs[0];
  if (!tab) return { id, name, tabId: '', fields: [] };
  const fields = await http.get<Array<{ id: string }>>(`/screens/${id}/tabs/${tab.id}/fields`);
  return { id, name, tabId: String(tab.id), fields: fields.map((field) => field.id) };
}
