import type { FieldDefinition } from '../fields.js';
import type { SimIssue } from '../model.js';
import type { Clause, Operator, SingleOperand } from './ast.js';
import { invalidDateMessage, parseJqlDate, type DateRange } from './dates.js';
import { dateValue, enumValues, resolveEnumOperand, textValue, type JqlContext } from './values.js';

export type Predicate = (issue: SimIssue) => boolean;

const KEY_FIELDS = new Set(['key', 'issuekey', 'issue', 'id']);
const OPERATORS: Record<'enum' | 'text' | 'date' | 'key', readonly Operator[]> = {
  enum: ['=', '!=', 'in', 'not in', 'is', 'is not'],
  text: ['~', '!~', 'is', 'is not'],
  date: ['=', '!=', '>', '>=', '<', '<=', 'is', 'is not'],
  key: ['=', '!=', 'in', 'not in', '>', '>=', '<', '<='],
};

/** Compiles a WHERE clause to a predicate; problems are pushed to `errors` as Jira words them. */
export function compileClause(clause: Clause, context: JqlContext, errors: string[]): Predicate {
  switch (clause.kind) {
    case 'and': {
      const parts = clause.clauses.map((part) => compileClause(part, context, errors));
      return (issue) => parts.every((part) => part(issue));
    }
    case 'or': {
      const parts = clause.clauses.map((part) => compileClause(part, context, errors));
      return (issue) => parts.some((part) => part(issue));
    }
    case 'not': {
      const inner = compileClause(clause.clause, context, errors);
      return (issue) => !inner(issue);
    }
    case 'term':
      return compileTerm(clause, context, errors);
  }
}

type Term = Extract<Clause, { kind: 'term' }>;

function compileTerm(term: Term, context: JqlContext, errors: string[]): Predicate {
  const operator = emptyAware(term);
  if (KEY_FIELDS.has(term.field.toLowerCase())) {
    return supported('key', operator, term.field, errors) ? keyTerm(term, operator, context, errors) : never;
  }
  const field = context.catalog.jqlField(term.field);
  if (!field || field.kind === 'comment' && operator !== '~' && operator !== '!~') {
    if (!field) errors.push(`Field '${term.field}' does not exist or you do not have permission to view it.`);
    else errors.push(`The operator '${operator.toUpperCase()}' is not supported by the '${field.name}' field.`);
    return never;
  }
  const family = field.kind === 'datetime' ? 'date' : ['summary', 'textarea', 'textfield', 'comment'].includes(field.kind) ? 'text' : 'enum';
  if (!supported(family, operator, field.name, errors)) return never;
  if (operator === 'is' || operator === 'is not') {
    const empty = (issue: SimIssue): boolean =>
      family === 'enum' ? enumValues(field, issue).length === 0 : family === 'text' ? textValue(field, issue) === '' : false;
    return operator === 'is' ? empty : (issue) => !empty(issue);
  }
  if (family === 'date') return dateTerm(field, term, operator, context, errors);
  if (family === 'text') return textTerm(field, term, operator, errors);
  return enumTerm(field, term, operator, context, errors);
}

const never: Predicate = () => false;

function emptyAware(term: Term): Operator {
  if (term.operand.kind !== 'empty') return term.operator;
  if (term.operator === '=') return 'is';
  if (term.operator === '!=') return 'is not';
  return term.operator;
}

function supported(family: keyof typeof OPERATORS, operator: Operator, name: string, errors: string[]): boolean {
  if (OPERATORS[family].includes(operator)) return true;
  errors.push(`The operator '${operator.toUpperCase()}' is not supported by the '${name}' field.`);
  return false;
}

function operands(term: Term): SingleOperand[] {
  return term.operand.kind === 'list' ? term.operand.items : [term.operand];
}

function valueText(operand: SingleOperand, name: string, errors: string[]): string | null {
  if (operand.kind === 'value') return operand.text;
  if (operand.kind === 'function') errors.push(`Unable to find JQL function '${operand.name}()' usable with the field '${name}'.`);
  else errors.push(`The field '${name}' does not support searching for EMPTY values with this operator.`);
  return null;
}

function enumTerm(field: FieldDefinition, term: Term, operator: Operator, context: JqlContext, errors: string[]): Predicate {
  const wanted = new Set<string>();
  for (const operand of operands(term)) {
    const text = valueText(operand, field.name, errors);
    if (text === null) continue;
    const resolved = resolveEnumOperand(field, text, context);
    if ('error' in resolved) errors.push(resolved.error);
    else wanted.add(resolved.value);
  }
  const hit = (issue: SimIssue): boolean => enumValues(field, issue).some((value) => wanted.has(value));
  // Jira's negative operators never match an empty field.
  const negative = (issue: SimIssue): boolean => enumValues(field, issue).length > 0 && !hit(issue);
  return operator === '=' || operator === 'in' ? hit : negative;
}

function textTerm(field: FieldDefinition, term: Term, operator: Operator, errors: string[]): Predicate {
  const [operand] = operands(term);
  const text = operand ? valueText(operand, field.name, errors) : null;
  const needle = (text ?? '').replace(/[*?]/g, '').toLowerCase();
  const contains = (issue: SimIssue): boolean => needle !== '' && textValue(field, issue).toLowerCase().includes(needle);
  return operator === '~' ? contains : (issue) => textValue(field, issue) !== '' && !contains(issue);
}

function dateTerm(field: FieldDefinition, term: Term, operator: Operator, context: JqlContext, errors: string[]): Predicate {
  const [operand] = operands(term);
  let range: DateRange | null = null;
  if (operand?.kind === 'function' && operand.name === 'now') range = { start: context.now, end: context.now + 1 };
  else if (operand) {
    const text = valueText(operand, field.name, errors);
    if (text !== null) {
      range = parseJqlDate(text, context.now);
      if (!range) errors.push(invalidDateMessage(text, term.field));
    }
  }
  if (!range) return never;
  const { start, end } = range;
  const compare: Record<string, (at: number) => boolean> = {
    '=': (at) => at >= start && at < end,
    '!=': (at) => at < start || at >= end,
    '>': (at) => at >= end,
    '>=': (at) => at >= start,
    '<': (at) => at < start,
    '<=': (at) => at < end,
  };
  const test = compare[operator] ?? (() => false);
  return (issue) => test(dateValue(field, issue));
}

function keyTerm(term: Term, operator: Operator, context: JqlContext, errors: string[]): Predicate {
  const keys: string[] = [];
  for (const operand of operands(term)) {
    const text = valueText(operand, 'key', errors);
    if (text === null) continue;
    if (!/^\d+$/.test(text) && !/^[A-Z][A-Z0-9_]*-\d+$/i.test(text)) errors.push(`The issue key '${text}' for field '${term.field}' is invalid.`);
    else if (!context.issueExists(text)) errors.push(`An issue with key '${text}' does not exist for field '${term.field}'.`);
    else keys.push(text.toUpperCase());
  }
  const matchesAny = (issue: SimIssue): boolean => keys.some((key) => key === issue.key || key === issue.id);
  if (operator === '=' || operator === 'in') return matchesAny;
  if (operator === '!=' || operator === 'not in') return (issue) => !matchesAny(issue);
  const [bound] = keys;
  if (bound === undefined) return never;
  return (issue) => compareKeys(issue.key, bound, operator);
}

function compareKeys(key: string, bound: string, operator: Operator): boolean {
  const [project, number] = splitKey(key);
  const [boundProject, boundNumber] = splitKey(bound);
  if (project !== boundProject) return false;
  const difference = number - boundNumber;
  return { '>': difference > 0, '>=': difference >= 0, '<': difference < 0, '<=': difference <= 0 }[operator as '>'];
}

export function splitKey(key: string): [string, number] {
  const index = key.lastIndexOf('-');
  return [key.slice(0, index), Number(key.slice(index + 1))];
}
