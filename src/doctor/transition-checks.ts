import type { Transition } from '../jira/schema.js';
import { readyJql } from '../jira/jql.js';
import { fail, pass, skipped, type Check } from './checks.js';
import { scopedName, type CheckScope } from './check-scope.js';
import { jiraFailure } from './failures.js';
import { FIELD_LABELS, type FieldRole } from './field-checks.js';
import type { JiraCheckDeps } from './jira-checks.js';

/** The check that must pass before the transitions can be looked at, when one failed. */
export interface Blocker {
  needs: string;
  check: string;
}

const EDIT_SCREEN = 'jira edit screen';
/** Set when a run starts: by an edit, or with the move to the running status where one is configured. */
const EDITED_AT_TRIGGER: readonly FieldRole[] = ['airflowRunId', 'runStatus'];
/** Set when a run ends, with the move or by an edit just before it. */
const WRITTEN_AT_END: readonly FieldRole[] = ['runStatus', 'platformRunId'];

/** The scope's transition lines; none for a scope with no projects of its own to sample. */
export function transitionCheckNames(scope: CheckScope): string[] {
  if (scope.projects.length === 0) return [];
  return [EDIT_SCREEN, ...movesChecked(scope).map(([target]) => `jira transition to ${target}`)].map((name) => scopedName(name, scope));
}

/** The moves out of Ready to Run the daemon makes, each with the fields it writes then. */
function movesChecked(scope: CheckScope): Array<[string, readonly FieldRole[]]> {
  const { completed, failed, running } = scope.statuses;
  // With a running status the trigger write is a move; the final moves then start from the running
  // status, which a ticket in Ready to Run cannot show: they are checked from Ready to Run as before.
  const trigger: Array<[string, readonly FieldRole[]]> = running ? [[running, EDITED_AT_TRIGGER]] : [];
  return [...trigger, [completed, WRITTEN_AT_END], [failed, WRITTEN_AT_END]];
}

/**
 * Screens and workflows are per project and issue type, so they are read off a real ticket in Ready
 * to Run (the scope's own, in the scope's projects). With none to inspect the lines pass and say they
 * were not checked: a quiet queue is no fault.
 */
export async function transitionChecks(deps: JiraCheckDeps, scope: CheckScope, blocker: Blocker | null): Promise<Check[]> {
  const { config, reads } = deps;
  const names = transitionCheckNames(scope);
  if (names.length === 0) return [];
  if (blocker) return names.map((name) => skipped(name, blocker.needs, blocker.check));
  const { ready } = scope.statuses;
  const editScreen = scopedName(EDIT_SCREEN, scope);

  let key: string | null;
  try {
    key = await reads.sampleIssue(readyJql(scope.projects, ready, null, deps.now));
  } catch (error) {
    const [first = editScreen, ...rest] = names;
    return [jiraFailure(first, error, config, deps.auth), ...rest.map((name) => skipped(name, `a ticket in ${ready}`, first))];
  }
  if (key === null) {
    const why = `not checked: no ticket in ${ready} in ${scope.projects.join(', ')} to inspect; run doctor again when there is one`;
    return names.map((name) => pass(name, why));
  }

  let editable: Set<string> | null = null;
  let editCheck: Check;
  try {
    editable = await reads.editableFields(key);
    editCheck = editScreenCheck(scope, key, editable);
  } catch (error) {
    editCheck = jiraFailure(editScreen, error, config, deps.auth);
  }
  let transitions: Transition[];
  try {
    transitions = await reads.transitions(key);
  } catch (error) {
    return [editCheck, ...names.slice(1).map((name) => jiraFailure(name, error, config, deps.auth))];
  }
  return [editCheck, ...movesChecked(scope).map(([target, roles]) => transitionCheck(scope, key, transitions, target, roles, editable))];
}

function editScreenCheck(scope: CheckScope, key: string, editable: ReadonlySet<string>): Check {
  const name = scopedName(EDIT_SCREEN, scope);
  const missing = EDITED_AT_TRIGGER.filter((role) => !editable.has(scope.fields[role]));
  const labels = (roles: readonly FieldRole[]) => roles.map((role) => `${FIELD_LABELS[role]} (${scope.fields[role]})`).join(', ');
  if (missing.length === 0) return pass(name, `${key}: ${labels(EDITED_AT_TRIGGER)} can be set by an edit`);
  return fail(
    name,
    `${key}: ${labels(missing)} cannot be set by an edit`,
    `add the field${missing.length > 1 ? 's' : ''} to the edit screen of ${key}'s project and issue type, and let the Jira account edit issues: the daemon sets them when it triggers a run`,
  );
}

function transitionCheck(
  scope: CheckScope,
  key: string,
  transitions: readonly Transition[],
  target: string,
  written: readonly FieldRole[],
  editable: ReadonlySet<string> | null,
): Check {
  const name = scopedName(`jira transition to ${target}`, scope);
  const { ready } = scope.statuses;
  const where = scope.project === null ? 'the workflow' : `the workflow of ${scope.project}`;
  const transition = transitions.find((candidate) => candidate.to.name.toLowerCase() === target.toLowerCase());
  if (!transition) {
    const available = [...new Set(transitions.map((t) => t.to.name))];
    return fail(
      name,
      `${key}: no transition from ${ready} to ${target} (targets offered: ${available.length > 0 ? available.join(', ') : 'none'})`,
      `add a transition from '${ready}' to '${target}' to ${where} (its name does not matter: the daemon looks for the target status), and let the Jira account transition issues`,
    );
  }
  const screen = transition.fields ?? {};
  const onScreen = (role: FieldRole) => scope.fields[role] in screen;
  const canEdit = (role: FieldRole) => editable === null || editable.has(scope.fields[role]);
  const labels = (roles: readonly FieldRole[]) => roles.map((role) => FIELD_LABELS[role]).join(', ');
  const bundled = written.filter(onScreen);
  const edited = written.filter((role) => !onScreen(role) && canEdit(role));
  const stuck = written.filter((role) => !onScreen(role) && !canEdit(role));
  const required = requiredUnknown(screen, new Set([...written.map((role) => scope.fields[role]), 'comment']));
  const via = `${key}: '${transition.name}' (id ${transition.id})`;
  if (stuck.length > 0 || required.length > 0) {
    const problems: string[] = [];
    const fixes: string[] = [];
    if (stuck.length > 0) {
      problems.push(`${labels(stuck)} neither on its screen nor editable`);
      fixes.push(`add ${labels(stuck)} to this transition's screen or to the edit screen`);
    }
    if (required.length > 0) {
      problems.push(`its screen requires ${required.join(', ')}, which the daemon does not set`);
      fixes.push(`give ${required.join(', ')} a default value or make it optional on this transition's screen`);
    }
    return fail(name, `${via}: ${problems.join('; ')}`, fixes.join('; '));
  }
  const parts = [
    ...(bundled.length > 0 ? [`${labels(bundled)} sent with the move`] : []),
    ...(edited.length > 0 ? [`${labels(edited)} set by an edit before it${editable === null ? ' (edit screen not verified)' : ''}`] : []),
    'comment' in screen ? 'comment sent with the move' : 'comment posted after the move (its screen has no Comment field)',
  ];
  return pass(name, `${via}; ${parts.join('; ')}`);
}

/** Fields the screen requires, has no default for, and the daemon would not send: the move would be refused. */
function requiredUnknown(screen: Record<string, unknown>, sent: ReadonlySet<string>): string[] {
  return Object.entries(screen).flatMap(([id, meta]) => {
    const field = meta as { required?: unknown; hasDefaultValue?: unknown; name?: unknown } | null;
    if (sent.has(id) || field?.required !== true || field.hasDefaultValue === true) return [];
    return [typeof field.name === 'string' ? `${field.name} (${id})` : id];
  });
}
