import type { Router, SimResponse } from '../../common/http.js';
import type { JiraCatalog } from '../catalog.js';
import { isRecord, jiraError, type JiraContext } from '../context.js';
import { asAdmin } from './as-admin.js';
import { SELECT_SCHEMA, TEXTAREA_SCHEMA, TEXTFIELD_SCHEMA } from '../fields.js';
import { contextId, fieldDetails } from './meta.js';
import { addScreenRoutes } from './screens.js';

const SEARCHER = 'com.atlassian.jira.plugin.system.customfieldtypes:';
/** The custom field types the simulator can hold, with the searchers Jira accepts for each. */
const TYPES: Readonly<Record<string, { kind: 'select' | 'textarea' | 'textfield'; searchers: readonly string[] }>> = {
  [SELECT_SCHEMA]: { kind: 'select', searchers: [`${SEARCHER}multiselectsearcher`] },
  [TEXTAREA_SCHEMA]: { kind: 'textarea', searchers: [`${SEARCHER}textsearcher`] },
  [TEXTFIELD_SCHEMA]: { kind: 'textfield', searchers: [`${SEARCHER}textsearcher`] },
};

/**
 * The administration setup uses: creating custom fields and adding them to screens on both
 * deployments; options and statuses only on Cloud (Data Center has no REST API for them).
 */
export function addAdminRoutes(router: Router, context: JiraContext): void {
  const { prefix } = context;
  router.add('POST', `${prefix}/field`, (req) => asAdmin(context, req, () => createField(context, req.body), context.deployment === 'cloud' ? 400 : 403));
  addScreenRoutes(router, context);
  if (context.deployment !== 'cloud') return;
  router
    .add('POST', `${prefix}/field/:fieldId/context/:contextId/option`, (req) =>
      asAdmin(context, req, () => addOptions(context.state.catalog, req.params.fieldId ?? '', req.params.contextId ?? '', req.body)),
    )
    .add('GET', `${prefix}/statuses`, (req) => statusesById(context.state.catalog, req.query))
    .add('POST', `${prefix}/statuses`, (req) => asAdmin(context, req, () => createStatuses(context.state.catalog, req.body), 401));
}

function createField(context: JiraContext, body: unknown): SimResponse {
  if (!isRecord(body) || typeof body.name !== 'string' || body.name.trim() === '' || typeof body.type !== 'string') {
    return jiraError(400, [], { name: 'The custom field name and type are required.' });
  }
  const type = TYPES[body.type];
  if (!type) return jiraError(400, [], { type: `The custom field type '${body.type}' is not available.` });
  const searcher = body.searcherKey;
  if (searcher !== undefined && (typeof searcher !== 'string' || !type.searchers.includes(searcher))) {
    return jiraError(400, [], { searcherKey: `The searcher ${JSON.stringify(searcher)} is not valid for the field type.` });
  }
  const field = context.state.catalog.addField(body.name.trim(), type.kind);
  return { status: 201, body: fieldDetails(field) };
}

function addOptions(catalog: JiraCatalog, fieldId: string, requestedContext: string, body: unknown): SimResponse {
  const field = catalog.field(fieldId);
  if (!field?.custom) return jiraError(404, ['The custom field was not found.']);
  if (requestedContext !== contextId(field.customId)) return jiraError(404, ['The context was not found.']);
  if (!field.options) return jiraError(400, ["The custom field doesn't support options."]);
  const wanted = isRecord(body) && Array.isArray(body.options) ? (body.options as unknown[]) : null;
  const values = wanted?.map((option) => (isRecord(option) && typeof option.value === 'string' ? option.value : null));
  if (!values || values.length === 0 || values.some((value) => value === null || value.trim() === '')) {
    return jiraError(400, ['Each option needs a value.']);
  }
  const taken = values.find((value) => field.options?.some((option) => option.value === value));
  if (taken) return jiraError(400, [`The option '${taken}' already exists in this context.`]);
  const created = values.map((value) => catalog.addOption(field, value ?? ''));
  return { status: 200, body: { options: created.map((option) => ({ id: option.id, value: option.value, disabled: false })) } };
}

const CATEGORY_KEYS = { TODO: 'new', IN_PROGRESS: 'indeterminate', DONE: 'done' } as const;
const CATEGORY_NAMES = { new: 'TODO', indeterminate: 'IN_PROGRESS', done: 'DONE' } as const;

function jiraStatus(catalog: JiraCatalog, id: string): Record<string, unknown> | null {
  const status = catalog.status(id);
  return status ? { id: status.id, name: status.name, description: '', statusCategory: CATEGORY_NAMES[status.category], scope: { type: 'GLOBAL' } } : null;
}

function statusesById(catalog: JiraCatalog, query: URLSearchParams): SimResponse {
  const ids = query.getAll('id').flatMap((value) => value.split(','));
  if (ids.length === 0) return jiraError(400, ['At least one status id is required.']);
  return { status: 200, body: ids.flatMap((id) => jiraStatus(catalog, id) ?? []) };
}

function createStatuses(catalog: JiraCatalog, body: unknown): SimResponse {
  if (!isRecord(body) || !isRecord(body.scope) || !Array.isArray(body.statuses)) return jiraError(400, ["'scope' and 'statuses' are required."]);
  if (body.scope.type !== 'GLOBAL') return jiraError(400, ['The simulator holds company-managed projects only: use scope GLOBAL.']);
  const wanted: Array<{ name: string; category: keyof typeof CATEGORY_KEYS }> = [];
  for (const entry of body.statuses as unknown[]) {
    const name = isRecord(entry) && typeof entry.name === 'string' ? entry.name.trim() : '';
    const category = isRecord(entry) ? entry.statusCategory : undefined;
    if (name === '' || typeof category !== 'string' || !(category in CATEGORY_KEYS)) return jiraError(400, ['Each status needs a name and a statusCategory of TODO, IN_PROGRESS or DONE.']);
    if (catalog.status(name)) return jiraError(400, [`A status named '${name}' already exists.`]);
    wanted.push({ name, category: category as keyof typeof CATEGORY_KEYS });
  }
  const created = wanted.map(({ name, category }) => catalog.addStatus(name, CATEGORY_KEYS[category]));
  return { status: 200, body: created.flatMap((status) => jiraStatus(catalog, status.id) ?? []) };
}
