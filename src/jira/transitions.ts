import { isUpstreamError } from '../http/errors.js';
import { addCommentOnce, hasMarkedComment, postComment } from './comments.js';
import type { Fields, JiraDialect } from './dialect.js';
import { toFieldWrite } from './field-write.js';
import type { TransitionOptions, TransitionOutcome } from './gateway.js';
import { type JiraCall, parseBody } from './jira-call.js';
import { IssueStatus, type Transition, Transitions } from './schema.js';
import type { CommentBody } from './ticket.js';
import type { FieldIds } from './to-ticket.js';

export interface TransitionDeps {
  dialect: JiraDialect;
  call: JiraCall;
  fieldIds: FieldIds;
}

/**
 * Moves the ticket by the transition whose target status has this name. Writes the transition screen
 * takes go with it (one request, one history entry); the rest go by an edit before and a comment after.
 */
export async function transitionTo(
  deps: TransitionDeps,
  key: string,
  statusName: string,
  options: TransitionOptions = {},
): Promise<TransitionOutcome> {
  const { dialect, call, fieldIds } = deps;
  const fields = toFieldWrite(options.fields ?? {}, fieldIds);
  // Checked first: a self-loop transition would add a status entry to the changelog for nothing.
  if (sameStatus(options.fromStatus ?? (await currentStatus(deps, key)), statusName)) {
    await editFields(deps, key, fields);
    if (options.comment) await addCommentOnce(dialect, call, key, options.comment);
    return { kind: 'already-there' };
  }
  const { transitions } = await call.read('GET /issue/{key}/transitions', { key }, Transitions, () =>
    dialect.getTransitions(key),
  );
  const transition = transitions.find((candidate) => sameStatus(candidate.to.name, statusName));
  if (!transition) return { kind: 'no-transition', available: [...new Set(transitions.map((t) => t.to.name))] };

  const screen = transition.fields ?? {};
  const onScreen = pick(fields, (id) => id in screen);
  const offScreen = pick(fields, (id) => !(id in screen));
  // Jira Cloud silently drops a comment sent with a transition whose screen has no Comment field.
  const screenTakesComment = 'comment' in screen;
  let comment = options.comment;
  if (comment && screenTakesComment && (await hasMarkedComment(dialect, call, key, comment.marker))) comment = undefined;

  await editFields(deps, key, offScreen);
  let bundledComment = screenTakesComment ? comment : undefined;
  let bundled = Object.keys(onScreen).length > 0 || bundledComment !== undefined;
  try {
    await move(deps, key, transition, statusName, onScreen, bundledComment);
  } catch (error) {
    if (!bundled || !isNotOnScreen(error)) throw error;
    await editFields(deps, key, onScreen);
    await move(deps, key, transition, statusName, {}, undefined);
    bundled = false;
    bundledComment = undefined;
  }
  if (comment && !bundledComment) {
    if (screenTakesComment) await postComment(dialect, call, key, comment);
    else await addCommentOnce(dialect, call, key, comment);
  }
  return { kind: 'moved', transitionId: transition.id, bundled };
}

async function move(
  deps: TransitionDeps,
  key: string,
  transition: Transition,
  statusName: string,
  fields: Fields,
  comment: CommentBody | undefined,
): Promise<void> {
  const { dialect, call } = deps;
  const details = { key, transitionId: transition.id, to: transition.to.name, fields: Object.keys(fields), comment: !!comment };
  await call.run('POST /issue/{key}/transitions', details, async (attempt) => {
    // A retry after a lost answer would fail on the moved ticket: look before moving again.
    if (attempt > 1 && sameStatus(parseStatus(await rawStatus(dialect, key)), statusName)) return;
    await dialect.doTransition(key, transition.id, fields, comment);
  });
}

/** Sets fields by an edit (`PUT /issue/{key}`); nothing to send, no request. */
export async function editFields(deps: TransitionDeps, key: string, fields: Fields): Promise<void> {
  if (Object.keys(fields).length === 0) return;
  await deps.call.run('PUT /issue/{key}', { key, fields: Object.keys(fields) }, () =>
    deps.dialect.editIssue(key, fields),
  );
}

async function currentStatus(deps: TransitionDeps, key: string): Promise<string> {
  const issue = await deps.call.read('GET /issue/{key}', { key, fields: ['status'] }, IssueStatus, () =>
    rawStatus(deps.dialect, key),
  );
  return issue.fields.status.name;
}

function rawStatus(dialect: JiraDialect, key: string): Promise<unknown> {
  return dialect.getIssue(key, ['status']);
}

function parseStatus(body: unknown): string {
  return parseBody('GET /issue/{key}', IssueStatus, body).fields.status.name;
}

/** Jira's 400 for a field the transition screen does not hold: "... not on the appropriate screen, or unknown." */
function isNotOnScreen(error: unknown): boolean {
  return isUpstreamError(error, 'bad_request') && /appropriate screen/i.test(error.message);
}

function sameStatus(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

function pick(fields: Fields, keep: (id: string) => boolean): Fields {
  return Object.fromEntries(Object.entries(fields).filter(([id]) => keep(id)));
}
