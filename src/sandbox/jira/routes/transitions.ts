import type { Router, SimResponse } from '../../common/http.js';
import { isRecord, jiraError, withIssue, type JiraContext } from '../context.js';
import { parseEdit } from '../edits.js';
import type { SimIssue, SimUser } from '../model.js';
import { renderStatus } from '../render.js';
import { screenFields, type TransitionDefinition } from '../workflow.js';
import { fieldMetadata } from './metadata.js';

/** The workflow as the API shows it: transitions named unlike their target statuses, with screens. */
export function addTransitionRoutes(router: Router, context: JiraContext): void {
  const path = `${context.prefix}/issue/:key/transitions`;
  router
    .add('GET', path, (req) =>
      withIssue(context, req, (issue) => {
        const withFields = (req.query.get('expand') ?? '').split(',').includes('transitions.fields');
        const only = req.query.get('transitionId');
        const transitions = context.state.catalog.transitionsFrom(issue.status)
          .filter((transition) => only === null || transition.id === only)
          .map((transition) => renderTransition(context, transition, withFields));
        return { status: 200, body: { expand: 'transitions', transitions } };
      }),
    )
    .add('POST', path, (req) => withIssue(context, req, (issue) => transition(context, issue, req.body, context.userOf(req))));
}

function renderTransition(context: JiraContext, transition: TransitionDefinition, withFields: boolean): Record<string, unknown> {
  const screen = screenFields(transition, context.screens);
  const rendered: Record<string, unknown> = {
    id: transition.id,
    name: transition.name,
    to: renderTarget(context, transition.to),
    hasScreen: screen.length > 0,
    isGlobal: false,
    isInitial: false,
    isAvailable: true,
    isConditional: false,
    isLooped: false,
  };
  if (withFields) {
    rendered.fields = Object.fromEntries(screen.flatMap((id) => {
      const field = context.state.catalog.field(id);
      return field ? [[id, fieldMetadata(field, context.api())]] : [];
    }));
  }
  return rendered;
}

function transition(context: JiraContext, issue: SimIssue, body: unknown, author: SimUser): SimResponse {
  const requested = isRecord(body) && isRecord(body.transition) ? body.transition.id : undefined;
  if (requested === undefined) return jiraError(400, ["Missing 'transition' identifier"]);
  const id = typeof requested === 'number' || typeof requested === 'string' ? String(requested) : JSON.stringify(requested);
  const chosen = context.state.catalog.transitionsFrom(issue.status).find((candidate) => candidate.id === id);
  if (!chosen) return jiraError(400, [`Transition id '${id}' is not valid for this issue.`]);
  const screen = screenFields(chosen, context.screens);
  const parsed = parseEdit(body, {
    mayWrite: (field) => screen.includes(field.id),
    comments: screen.includes('comment') ? 'add' : 'drop',
    api: context.api(),
    catalog: context.state.catalog,
  });
  if (!parsed.ok) return parsed.response;
  context.state.change(issue, { status: chosen.to, fields: parsed.edit.values }, author);
  for (const comment of parsed.edit.comments) context.state.addComment(issue, comment, author);
  return { status: 204 };
}

function renderTarget(context: JiraContext, name: string): Record<string, unknown> {
  const status = context.state.catalog.status(name);
  if (!status) throw new Error(`Unknown status ${name}`);
  return renderStatus(status, context.api());
}
