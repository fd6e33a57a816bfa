import type { Router, SimResponse } from '../../common/http.js';
import type { JiraCatalog, SimScreen } from '../catalog.js';
import { intParam, isRecord, jiraError, type JiraContext } from '../context.js';
import { asAdmin } from './as-admin.js';

/**
 * Screens, on both deployments: Cloud lists screens, their tabs and fields, and adds a field to a tab;
 * Data Center's setup uses "add to the default screen" (both offer it). All need Administer Jira.
 */
export function addScreenRoutes(router: Router, context: JiraContext): void {
  const { prefix } = context;
  const catalog = context.state.catalog;
  router
    .add('POST', `${prefix}/screens/addToDefault/:fieldId`, (req) => asAdmin(context, req, () => addToDefault(catalog, req.params.fieldId ?? '')))
    .add('GET', `${prefix}/screens/:screenId/tabs`, (req) =>
      asAdmin(context, req, () => withScreen(catalog, req.params.screenId, (screen) => ({ status: 200, body: screen.tabs.map(({ id, name }) => ({ id, name })) }))),
    )
    .add('GET', `${prefix}/screens/:screenId/tabs/:tabId/fields`, (req) =>
      asAdmin(context, req, () => withTab(catalog, req.params.screenId, req.params.tabId, (tab) => ({ status: 200, body: tab.fields.map((id) => ({ id, name: catalog.field(id)?.name ?? id })) }))),
    )
    .add('POST', `${prefix}/screens/:screenId/tabs/:tabId/fields`, (req) =>
      asAdmin(context, req, () => withTab(catalog, req.params.screenId, req.params.tabId, (tab) => addToTab(catalog, tab, req.body))),
    );
  if (context.deployment === 'cloud') router.add('GET', `${prefix}/screens`, (req) => asAdmin(context, req, () => screenPage(catalog, req.query)));
}

function screenPage(catalog: JiraCatalog, query: URLSearchParams): SimResponse {
  const startAt = intParam(query.get('startAt'), 0);
  const maxResults = intParam(query.get('maxResults'), 100);
  if (startAt === null || maxResults === null) return jiraError(400, ["'startAt' and 'maxResults' must be non-negative integers."]);
  const values = catalog.screens.slice(startAt, startAt + maxResults).map(({ id, name }) => ({ id, name, description: '' }));
  return { status: 200, body: { maxResults, startAt, total: catalog.screens.length, isLast: startAt + values.length >= catalog.screens.length, values } };
}

function withScreen(catalog: JiraCatalog, screenId: string | undefined, handler: (screen: SimScreen) => SimResponse): SimResponse {
  const screen = catalog.screens.find((candidate) => String(candidate.id) === screenId);
  return screen ? handler(screen) : jiraError(404, [`The screen with id '${screenId ?? ''}' does not exist.`]);
}

function withTab(catalog: JiraCatalog, screenId: string | undefined, tabId: string | undefined, handler: (tab: SimScreen['tabs'][number]) => SimResponse): SimResponse {
  return withScreen(catalog, screenId, (screen) => {
    const tab = screen.tabs.find((candidate) => String(candidate.id) === tabId);
    return tab ? handler(tab) : jiraError(404, [`The screen tab with id '${tabId ?? ''}' does not exist.`]);
  });
}

function addToTab(catalog: JiraCatalog, tab: SimScreen['tabs'][number], body: unknown): SimResponse {
  const fieldId = isRecord(body) && typeof body.fieldId === 'string' ? body.fieldId : '';
  const field = catalog.field(fieldId);
  if (!field) return jiraError(400, [`The field with id '${fieldId}' does not exist.`]);
  if (tab.fields.includes(fieldId)) return jiraError(400, [`The field '${fieldId}' is already on the screen.`]);
  tab.fields.push(fieldId);
  return { status: 200, body: { id: field.id, name: field.name } };
}

function addToDefault(catalog: JiraCatalog, fieldId: string): SimResponse {
  const field = catalog.field(fieldId);
  const tab = catalog.screens[0]?.tabs[0];
  if (!field || !tab) return jiraError(404, [`The field with id '${fieldId}' does not exist.`]);
  if (tab.fields.includes(fieldId)) return jiraError(404, [`The field '${fieldId}' is already on the default screen.`]);
  tab.fields.push(fieldId);
  return { status: 200, body: {} };
}
