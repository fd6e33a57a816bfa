import { z } from 'zod';
import type { core } from 'zod';
import { FileConfig } from './schema.js';
import { fileKey, keyName, showValue, type EnvOrigins } from './key-names.js';
import { secretKeyHint } from './secret-key-hint.js';

/** Zod's issues rewritten for an operator: the key, what is wrong, what is allowed. */
export function zodProblems(issues: readonly core.$ZodIssue[], origins: EnvOrigins): string[] {
  const problems: string[] = [];
  for (const issue of issues) {
    if (issue.code === 'invalid_union') {
      const branch = closestBranch(issue);
      if (branch !== undefined) {
        problems.push(...zodProblems(branch.map((inner) => ({ ...inner, path: [...issue.path, ...inner.path] })), origins));
        continue;
      }
    }
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) problems.push(unknownKey([...issue.path, key]));
    } else {
      problems.push(`${keyName(issue.path, origins)}: ${describe(issue)}`);
    }
  }
  return problems;
}

/**
 * A value that fits no form of a union (a key or a mapping, a list or a mapping): the form it was
 * meant to be is the one whose complaints are deeper than its own type. Undefined when none is.
 */
function closestBranch(issue: core.$ZodIssueInvalidUnion): core.$ZodIssue[] | undefined {
  return issue.errors.find((branch) => branch.some((inner) => inner.path.length > 0 || inner.code !== 'invalid_type'));
}

function unionTypes(issue: core.$ZodIssueInvalidUnion): string {
  const expected = issue.errors.flatMap((branch) => branch.flatMap((inner) => (inner.code === 'invalid_type' ? [typeWord(inner.expected)] : [])));
  return [...new Set(expected)].join(' or ');
}

function unknownKey(path: readonly PropertyKey[]): string {
  const key = fileKey(path);
  const hint = secretKeyHint(key);
  if (hint !== undefined) return `${key}: unknown key; ${hint}`;
  return `${key}: unknown key (allowed: ${allowedKeysAt(path.slice(0, -1)).join(', ')})`;
}

function describe(issue: core.$ZodIssue): string {
  const value = showValue(issue.input);
  switch (issue.code) {
    case 'invalid_value':
      return `${value} is not allowed; use one of ${issue.values.map(String).join(', ')}`;
    case 'invalid_type':
      if (issue.expected === 'int' && typeof issue.input === 'number') return `${value} is not a whole number`;
      return `expected ${typeWord(issue.expected)}, got ${issue.input === undefined ? 'nothing' : value}`;
    case 'too_small':
      if (issue.origin === 'string') return 'must not be empty';
      if (issue.origin === 'array') return `must list at least ${String(issue.minimum)} item(s)`;
      return `${value} is too small; use ${issue.inclusive === true ? 'at least' : 'more than'} ${String(issue.minimum)}`;
    case 'too_big':
      if (issue.origin === 'number' || issue.origin === 'int') {
        return `${value} is too large; use ${issue.inclusive === true ? 'at most' : 'less than'} ${String(issue.maximum)}`;
      }
      return `is too long; use at most ${String(issue.maximum)}`;
    case 'invalid_format':
      if (issue.format === 'url') return `${value} is not a valid URL; use an absolute URL such as https://example.com`;
      if (issue.format === 'regex' && !issue.message.startsWith('Invalid')) return `${value} is not ${issue.message}`;
      return `${value} is not a valid ${issue.format}`;
    case 'invalid_union':
      return `expected ${unionTypes(issue)}, got ${value}`;
    case 'invalid_key': {
      const reason = issue.issues[0]?.message ?? 'not allowed';
      return `the name ${value} is not ${reason} (use lower-case letters, digits and _)`;
    }
    default:
      return issue.message;
  }
}

function typeWord(expected: string): string {
  if (expected === 'object' || expected === 'record') return 'a mapping';
  if (expected === 'array') return 'a list';
  if (expected === 'int') return 'a whole number';
  return `a ${expected}`;
}

/** The keys the schema accepts at a path, read from the schema itself so the list never goes stale. */
function allowedKeysAt(path: readonly PropertyKey[]): string[] {
  let schema: unknown = FileConfig;
  for (const segment of path) {
    const unwrapped = unionOption(unwrap(schema), segment);
    if (unwrapped instanceof z.ZodObject) schema = (unwrapped.shape as Record<string, unknown>)[String(segment)];
    else if (unwrapped instanceof z.ZodRecord) schema = unwrapped.valueType;
    else if (unwrapped instanceof z.ZodArray) schema = unwrapped.element;
    else return [];
  }
  const target = unionOption(unwrap(schema), undefined);
  return target instanceof z.ZodObject ? Object.keys(target.shape) : [];
}

/** Of a union, the form a path step can enter: a list for an index, a mapping for a name. */
function unionOption(schema: unknown, segment: PropertyKey | undefined): unknown {
  if (!(schema instanceof z.ZodUnion)) return schema;
  const options = (schema.options as readonly unknown[]).map(unwrap);
  if (typeof segment === 'number') return options.find((option) => option instanceof z.ZodArray);
  return (
    options.find((option) => option instanceof z.ZodObject && (segment === undefined || String(segment) in option.shape)) ??
    options.find((option) => option instanceof z.ZodRecord)
  );
}

function unwrap(schema: unknown): unknown {
  let current = schema;
  for (;;) {
    if (current instanceof z.ZodDefault || current instanceof z.ZodPrefault || current instanceof z.ZodOptional || current instanceof z.ZodNullable) {
      current = current.unwrap();
    } else if (current instanceof z.ZodPipe) {
      current = current.in;
    } else {
      break;
    }
  }
  return current;
}
