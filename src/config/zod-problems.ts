import { z } from 'zod';
import type { core } from 'zod';
import { FileConfig } from './schema.js';
import { fileKey, keyName, showValue, type EnvOrigins } from './key-names.js';
import { secretKeyHint } from './secret-key-hint.js';

/** Zod's issues rewritten for an operator: the key, what is wrong, what is allowed. */
export function zodProblems(issues: readonly core.$ZodIssue[], origins: EnvOrigins): string[] {
  const problems: string[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) problems.push(unknownKey([...issue.path, key]));
    } else {
      problems.push(`${keyName(issue.path, origins)}: ${describe(issue)}`);
    }
  }
  return problems;
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
    const unwrapped = unwrap(schema);
    if (unwrapped instanceof z.ZodObject) schema = (unwrapped.shape as Record<string, unknown>)[String(segment)];
    else if (unwrapped instanceof z.ZodRecord) schema = unwrapped.valueType;
    else if (unwrapped instanceof z.ZodArray) schema = unwrapped.element;
    else return [];
  }
  const target = unwrap(schema);
  return target instanceof z.ZodObject ? Object.keys(target.shape) : [];
}

function unwrap(schema: unknown): unknown {
  let current = schema;
  while (current instanceof z.ZodDefault || current instanceof z.ZodPrefault || current instanceof z.ZodOptional) {
    current = current.unwrap();
  }
  return current;
}
