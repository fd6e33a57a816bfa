import type { ParamsCheck } from '../config/params-schema.js';
import type { Ticket } from '../jira/ticket.js';

/** What a valid ticket asks for. */
export interface RunRequest {
  source: string;
  runType: string;
  environment: string;
  params: Record<string, unknown>;
}

export interface FieldProblem {
  field: 'Source' | 'Run Type' | 'Parameters' | 'Environment' | 'Labels';
  problem: string;
  /** The metric label of reconciler_tickets_rejected_total. */
  reason: RejectReason;
}

export type RejectReason =
  | 'approval_missing'
  | 'missing_field'
  | 'unknown_source'
  | 'unknown_run_type'
  | 'environment_not_allowed'
  | 'bad_params'
  | 'params_schema'
  | 'dag_missing'
  | 'dag_paused'
  | 'trigger_refused';

const NOT_ALLOWED: Record<'Source' | 'Run Type' | 'Environment', RejectReason> = {
  Source: 'unknown_source',
  'Run Type': 'unknown_run_type',
  Environment: 'environment_not_allowed',
};

export type Validation = { ok: true; request: RunRequest } | { ok: false; problems: FieldProblem[] };

export interface ValidationRules {
  sources: readonly string[];
  runTypes: readonly string[];
  environments: readonly string[];
  /**
   * The parameter schema check per source and run type (compileParamsCheck): its problems reject the
   * ticket, and its defaulted object becomes the request's params. Used instead of paramsProblems.
   */
  checkParams?: ParamsCheck;
  /** Per-source parameter checks without defaults, for callers that have no checkParams; empty means valid. */
  paramsProblems?: (source: string, params: Record<string, unknown>) => string[];
}

/** Checks every input field and reports each bad one with what is expected; pure. */
export function validateTicket(ticket: Ticket, rules: ValidationRules): Validation {
  const problems: FieldProblem[] = [];
  const source = pick(ticket.source, 'Source', rules.sources, problems);
  const runType = pick(ticket.runType, 'Run Type', rules.runTypes, problems);
  const environment = pick(ticket.environment, 'Environment', rules.environments, problems);
  const parsed = parseParams(ticket.paramsText, problems);
  const params = parsed && source ? schemaChecked(parsed, source, runType, rules, problems) : parsed;
  if (problems.length > 0 || !source || !runType || !environment || !params) return { ok: false, problems };
  return { ok: true, request: { source, runType, environment, params } };
}

/** The params with the schema's defaults filled in; each problem is one FieldProblem. */
function schemaChecked(
  params: Record<string, unknown>,
  source: string,
  runType: string | null,
  rules: ValidationRules,
  problems: FieldProblem[],
): Record<string, unknown> {
  const outcome = rules.checkParams?.(source, runType, params) ?? { params, problems: rules.paramsProblems?.(source, params) ?? [] };
  for (const problem of outcome.problems) problems.push({ field: 'Parameters', problem, reason: 'params_schema' });
  return outcome.params;
}

function pick(
  value: string | null,
  field: 'Source' | 'Run Type' | 'Environment',
  allowed: readonly string[],
  problems: FieldProblem[],
): string | null {
  const expected = `expected one of ${allowed.join(', ')}`;
  if (value === null || value.trim() === '') {
    problems.push({ field, problem: `is empty; ${expected}`, reason: 'missing_field' });
    return null;
  }
  const trimmed = value.trim();
  if (!allowed.includes(trimmed)) {
    problems.push({ field, problem: `"${truncate(trimmed)}" is not allowed; ${expected}`, reason: NOT_ALLOWED[field] });
    return null;
  }
  return trimmed;
}

function parseParams(text: string | null, problems: FieldProblem[]): Record<string, unknown> | null {
  const expected = 'expected a JSON object such as {"limit": 100}';
  // CONTRACT §3.7: an empty field asks for no parameters; the schema decides whether that is enough.
  if (text === null || text.trim() === '') return {};
  const parsed = parseJson(text) ?? parseJson(normaliseQuotes(text));
  if (!parsed) {
    problems.push({ field: 'Parameters', problem: `is not valid JSON (${jsonError(text)}); ${expected}`, reason: 'bad_params' });
    return null;
  }
  return checkObject(parsed.value, problems, expected);
}

function checkObject(parsed: unknown, problems: FieldProblem[], expected: string): Record<string, unknown> | null {
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    const kind = Array.isArray(parsed) ? 'an array' : parsed === null ? 'null' : `a ${typeof parsed}`;
    problems.push({ field: 'Parameters', problem: `is ${kind}, not an object; ${expected}`, reason: 'bad_params' });
    return null;
  }
  return parsed as Record<string, unknown>;
}

function parseJson(text: string): { value: unknown } | null {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return null;
  }
}

function jsonError(text: string): string {
  try {
    JSON.parse(text);
    return 'unknown error';
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** Jira's editor turns straight quotes into typographic ones when people type JSON by hand. */
function normaliseQuotes(text: string): string {
  return text.replace(/[\u201C\u201D]/g, '"').replace(/\u00A0/g, ' ').trim();
}

function truncate(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
