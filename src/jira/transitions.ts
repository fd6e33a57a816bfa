import { isUpstreamError } from '../http/errors.js';
import { hasMarkedComment, markedCommentExists } from './comments.js';
import type { Fields, JiraDialect } from './dialect.js';
import { toFieldWrite } from './field-write.js';
import type { TransitionCache, TransitionOptions, TransitionOutcome } from './gateway.js';
import { type JiraCall, parseBody } from './jira-call.js';
import { moveFate, type MoveFate } from './move-fate.js';
import { type Account, Issue, IssueStatus, type Transition, Transitions } from './schema.js';
import type { CommentBody } from './ticket.js';
import type { FieldIds } from './to-ticket.js';

export interface TransitionDeps {
  dialect: JiraDialect;
  call: JiraCall;
  fieldIds: FieldIds;
  /** The Ready status of the ticket's project: a request is a move into it. */
  readyStatus: string;
  /** The reconciler's own account, asked once and only when a move's fate is in doubt. */
  self: () => Promise<Account>;
}

/**
 * Moves the ticket by the transition whose target status has this name. Writes the transition screen
 * takes go with it (one request, one history entry); the rest go by one edit before it, the comment
 * included, so the move to the new status is always the last write.
 */
export async function transitionTo(
  deps: TransitionDeps,
  key: string,
  statusName: string,
  options: TransitionOptions = {},
): Promise<TransitionOutcome> {
  const { fieldIds } = deps;
  const fields = toFieldWrite(options.fields ?? {}, fieldIds);
  let fromStatus = options.fromStatus;
  if (options.unconfirmed && options.requestId !== undefined) {
    // An earlier life may have sent this move unheard: its landing, or a person's re-run since, is in the changelog.
    const fate = await fateOf(deps, key, options.requestId, statusName, 'with-retries');
    const settled = settledBy(fate, options.requestId);
    if (settled) return settled;
    fromStatus = fate.status;
  }
  fromStatus ??= await currentStatus(deps, key);
  // Checked first: a self-loop transition would add a status entry to the changelog for nothing.
  if (sameStatus(fromStatus, statusName)) {
    await editIssue(deps, key, fields, options.comment, options.knownAbsent ?? false);
    return { kind: 'already-there' };
  }
  const cacheKey = `${projectOf(key)}\u0000${fromStatus.toLowerCase()}`;
  const cached = options.cache?.get(cacheKey);
  const transitions = await (cached ?? remember(options.cache, cacheKey, readTransitions(deps, key)));
  if (!cached && !transitions.some((candidate) => sameStatus(candidate.to.name, statusName))) {
    return { kind: 'no-transition', available: [...new Set(transitions.map((t) => t.to.name))] };
  }
  let comment = options.comment;
  // The look for an earlier copy happens only when one may have landed (a write unconfirmed before).
  if (comment && !options.knownAbsent && (await hasMarkedComment(deps.dialect, deps.call, key, comment.marker))) comment = undefined;
  const request = options.requestId;
  const outcome = await moveBy(deps, key, statusName, transitions, fields, comment, request);
  if (outcome.kind === 'refused' && cached) {
    // The transitions of another ticket in this status did not fit this one (another workflow): ask for its own.
    return settle(await moveBy(deps, key, statusName, await readTransitions(deps, key), outcome.fields, outcome.comment, request));
  }
  return settle(outcome);
}

type MoveOutcome = TransitionOutcome | { kind: 'refused'; error: unknown; fields: Fields; comment: CommentBody | undefined };

async function moveBy(
  deps: TransitionDeps,
  key: string,
  statusName: string,
  transitions: readonly Transition[],
  fields: Fields,
  comment: CommentBody | undefined,
  requestId: string | undefined,
): Promise<MoveOutcome> {
  const transition = transitions.find((candidate) => sameStatus(candidate.to.name, statusName));
  if (!transition) return { kind: 'no-transition', available: [...new Set(transitions.map((t) => t.to.name))] };

  const screen = transition.fields ?? {};
  const onScreen = pick(fields, (id) => id in screen);
  const offScreen = pick(fields, (id) => !(id in screen));
  // Jira Cloud silently drops a comment sent with a transition whose screen has no Comment field.
  const bundledComment = 'comment' in screen ? comment : undefined;
  await editIssue(deps, key, offScreen, bundledComment ? undefined : comment, true);
  const left = { fields: onScreen, comment: bundledComment };
  const bundled = Object.keys(onScreen).length > 0 || bundledComment !== undefined;
  try {
    const seen = await move(deps, key, transition, statusName, onScreen, bundledComment, requestId);
    if (seen?.kind === 'already-there') {
      // Moved there by someone else while our answer was lost: what went with our move is written by an edit.
      await editIssue(deps, key, onScreen, bundledComment, false);
    }
    return seen ?? { kind: 'moved', transitionId: transition.id, bundled };
  } catch (error) {
    if (bundled && isNotOnScreen(error)) {
      await editIssue(deps, key, onScreen, bundledComment, true);
      const seen = await move(deps, key, transition, statusName, {}, undefined, requestId);
      return seen ?? { kind: 'moved', transitionId: transition.id, bundled: false };
    }
    if (isUpstreamError(error, 'bad_request') || isUpstreamError(error, 'not_found')) return { kind: 'refused', error, ...left };
    throw error;
  }
}

function settle(outcome: MoveOutcome): TransitionOutcome {
  if (outcome.kind === 'refused') throw outcome.error;
  return outcome;
}

async function readTransitions(deps: TransitionDeps, key: string): Promise<Transition[]> {
  const { transitions } = await deps.call.read('GET /issue/{key}/transitions', { key }, Transitions, () =>
    deps.dialect.getTransitions(key),
  );
  return transitions;
}

function remember(cache: TransitionCache | undefined, cacheKey: string, lookup: Promise<Transition[]>): Promise<Transition[]> {
  if (!cache) return lookup;
  cache.set(cacheKey, lookup);
  // A failed lookup is not kept: the next ticket asks again.
  lookup.catch(() => cache.delete(cacheKey));
  return lookup;
}

function projectOf(key: string): string {
  return key.slice(0, Math.max(0, key.lastIndexOf('-')));
}

/** What a repeat found instead of moving: the move had landed, or the ticket is not this request's any more. */
type Settled = Extract<TransitionOutcome, { kind: 'landed' | 'superseded' | 'already-there' }>;

/** Sends the transition; null once sent, or what a retry after a lost answer found in its place. */
async function move(
  deps: TransitionDeps,
  key: string,
  transition: Transition,
  statusName: string,
  fields: Fields,
  comment: CommentBody | undefined,
  requestId: string | undefined,
): Promise<Settled | null> {
  const { dialect, call } = deps;
  const details = { key, transitionId: transition.id, to: transition.to.name, fields: Object.keys(fields), comment: !!comment };
  return call.run('POST /issue/{key}/transitions', details, async (attempt): Promise<Settled | null> => {
    if (attempt > 1) {
      // The failed attempt may have landed, and a person may have moved the ticket since: look before moving again.
      if (requestId === undefined) {
        if (sameStatus(parseStatus(await rawStatus(dialect, key)), statusName)) return null;
      } else {
        const fate = await fateOf(deps, key, requestId, statusName, 'raw');
        const settled = settledBy(fate, requestId);
        if (settled) return settled;
        if (sameStatus(fate.status, statusName)) return { kind: 'already-there' };
      }
    }
    await dialect.doTransition(key, transition.id, fields, comment);
    return null;
  });
}

/**
 * The ticket's changelog, read directly (never a search, which lags), weighed against the request the
 * move ends. `raw`: inside a retried attempt, whose own retries stand for the read's.
 */
async function fateOf(deps: TransitionDeps, key: string, requestId: string, target: string, read: 'raw' | 'with-retries'): Promise<MoveFate> {
  const { dialect, call, readyStatus } = deps;
  const op = 'GET /issue/{key}';
  const request = (): Promise<unknown> => dialect.getIssue(key, ['status', 'updated', 'created'], 'changelog');
  const issue = read === 'raw' ? parseBody(op, Issue, await request()) : await call.read(op, { key, expand: 'changelog' }, Issue, request);
  const complete = await dialect.completeChangelog(call, issue, readyStatus);
  const self = await deps.self();
  return moveFate(complete.changelog?.histories ?? [], complete.fields.status.name, { requestId, readyStatus, target, self });
}

function settledBy(fate: MoveFate, requestId: string): Settled | null {
  if (fate.landed) return { kind: 'landed' };
  if (fate.requestId !== requestId) return { kind: 'superseded', requestId: fate.requestId };
  return null;
}

/**
 * One edit with the fields and the comment (`update.comment`). The look for an earlier copy of the
 * comment is made only when one may exist (`knownAbsent` false), and again before a retry, whose
 * failed attempt may have landed.
 */
export async function editIssue(
  deps: TransitionDeps,
  key: string,
  fields: Fields,
  comment: CommentBody | undefined,
  knownAbsent: boolean,
): Promise<void> {
  const { dialect, call } = deps;
  let send = comment;
  if (send && !knownAbsent && (await hasMarkedComment(dialect, call, key, send.marker))) send = undefined;
  if (Object.keys(fields).length === 0 && !send) return;
  const details = { key, fields: Object.keys(fields), ...(send ? { marker: send.marker } : {}) };
  await call.run('PUT /issue/{key}', details, async (attempt) => {
    if (attempt > 1 && send && (await markedCommentExists(dialect, key, send.marker))) send = undefined;
    if (Object.keys(fields).length === 0 && !send) return;
    await dialect.editIssue(key, fields, send);
  });
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
