import type { Router, SimRequest } from '../../common/http.js';
import { listParam, withIssue, type JiraContext } from '../context.js';
import { parseEdit } from '../edits.js';
import { expandSet, renderIssue, selectFields } from '../render.js';
import { fieldMetadata } from './metadata.js';

/** GET/PUT one issue and its edit metadata. */
export function addIssueRoutes(router: Router, context: JiraContext): void {
  router
    .add('GET', `${context.prefix}/issue/:key`, (req) => withIssue(context, req, (issue) => ({ status: 200, body: render(context, req, issue.key) })))
    .add('PUT', `${context.prefix}/issue/:key`, (req) =>
      withIssue(context, req, (issue) => {
        const onScreen = new Set(context.state.catalog.onScreen().map((field) => field.id));
        const parsed = parseEdit(req.body, { mayWrite: (field) => onScreen.has(field.id), comments: 'add', api: context.api(), catalog: context.state.catalog });
        if (!parsed.ok) return parsed.response;
        const author = context.userOf(req);
        context.state.change(issue, { fields: parsed.edit.values }, author);
        for (const body of parsed.edit.comments) context.state.addComment(issue, body, author);
        if (req.query.get('returnIssue') === 'true') return { status: 200, body: render(context, req, issue.key) };
        return { status: 204 };
      }),
    )
    .add('GET', `${context.prefix}/issue/:key/editmeta`, (req) =>
      withIssue(context, req, () => {
        const editable = context.state.catalog.onScreen();
        return { status: 200, body: { fields: Object.fromEntries(editable.map((field) => [field.id, fieldMetadata(field, context.api())])) } };
      }),
    );
}

function render(context: JiraContext, req: SimRequest, key: string): Record<string, unknown> {
  const issue = context.state.get(key);
  if (!issue) throw new Error(`Issue ${key} vanished`);
  return renderIssue(issue, {
    fields: selectFields(context.state.catalog, listParam(req.query, 'fields'), 'all') ?? [],
    expand: expandSet(req.query.get('expand')),
    properties: listParam(req.query, 'properties'),
    projects: context.state.projects,
    api: context.api(),
    catalog: context.state.catalog,
  });
}
