import type { ErrorObject } from 'ajv';

type Schema = Readonly<Record<string, unknown>>;

/**
 * ajv's errors as sentences a ticket's author can act on, each naming the parameter's path:
 * "`max_pages` must be a whole number ≥ 1, not 0", "`country` is required". Needs ajv's `verbose`
 * option (for the failing schema and value). Errors inside anyOf/oneOf branches are folded into the
 * one "must match one of" sentence; `if` errors are dropped, their `then`/`else` errors say it.
 */
export function describeParamsErrors(errors: readonly ErrorObject[]): string[] {
  const folded = errors.filter((error) => error.keyword === 'anyOf' || error.keyword === 'oneOf').map((error) => `${error.schemaPath}/`);
  const kept = errors.filter((error) => error.keyword !== 'if' && !folded.some((prefix) => error.schemaPath.startsWith(prefix)));
  return [...new Set(kept.map(describeParamsError))];
}

export function describeParamsError(error: ErrorObject): string {
  const path = pathOf(error.instancePath);
  const subject = path.length === 0 ? 'the Parameters object' : name(path);
  const schema = (error.parentSchema ?? {}) as Schema;
  const params = error.params as Record<string, unknown>;
  const got = `, not ${showData(error.data)}`;
  switch (error.keyword) {
    case 'type':
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `${subject} must be ${expectation(schema)}${got}`;
    case 'multipleOf':
      return `${subject} must be a multiple of ${String(params['multipleOf'])}${got}`;
    case 'required':
      return `${name([...path, String(params['missingProperty'])])} is required`;
    case 'dependentRequired':
    case 'dependencies':
      return `${name([...path, String(params['missingProperty'])])} is required when ${name([...path, String(params['property'])])} is given`;
    case 'additionalProperties':
      return notAllowed(path, String(params['additionalProperty']), schema);
    case 'unevaluatedProperties':
      return notAllowed(path, String(params['unevaluatedProperty']), schema);
    case 'enum':
      return `${subject} must be one of ${(params['allowedValues'] as unknown[]).map(showData).join(', ')}${got}`;
    case 'const':
      return `${subject} must be ${showData(params['allowedValue'])}${got}`;
    case 'pattern':
      return `${subject} must match the pattern ${String(params['pattern'])}${got}`;
    case 'format':
      return `${subject} must be ${formatWords(String(params['format']))}${got}`;
    case 'minLength':
      return `${subject} must be at least ${count(params['limit'], 'character')} long${got}`;
    case 'maxLength':
      return `${subject} must be at most ${count(params['limit'], 'character')} long`;
    case 'minItems':
      return `${subject} must list at least ${count(params['limit'], 'item')}`;
    case 'maxItems':
      return `${subject} must list at most ${count(params['limit'], 'item')}`;
    case 'uniqueItems':
      return `${subject} must not list the same item twice (items ${String(params['j'])} and ${String(params['i'])} are equal)`;
    case 'minProperties':
      return `${subject} must have at least ${count(params['limit'], 'entry', 'entries')}`;
    case 'maxProperties':
      return `${subject} must have at most ${count(params['limit'], 'entry', 'entries')}`;
    case 'contains':
      return `${subject} must list at least ${count(params['minContains'] ?? 1, 'item')} of the required kind`;
    case 'anyOf':
    case 'oneOf':
      return `${subject} must match ${error.keyword === 'oneOf' ? 'exactly one' : 'one'} of the allowed forms${got}`;
    case 'not':
      return `${subject} has a value the schema forbids${got}`;
    case 'false schema':
      return `${subject} is not allowed`;
    default:
      return `${subject} ${error.message ?? `fails the ${error.keyword} rule`}`;
  }
}

/** `/a/0/b` → a, 0, b (JSON Pointer, with ~1 and ~0 decoded). */
function pathOf(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => segment.replaceAll('~1', '/').replaceAll('~0', '~'));
}

/** `categories[0].name`, in backticks. */
function name(path: readonly string[]): string {
  let text = '';
  for (const segment of path) {
    if (/^\d+$/.test(segment) && text !== '') text += `[${segment}]`;
    else text += text === '' ? segment : `.${segment}`;
  }
  return `\`${text}\``;
}

function notAllowed(path: readonly string[], property: string, schema: Schema): string {
  const known = Object.keys(schema['properties'] ?? {});
  const allowed = known.length === 0 ? '' : `; allowed: ${known.join(', ')}`;
  const where = path.length === 0 ? 'a known parameter' : `allowed in ${name(path)}`;
  return `${name([...path, property])} is not ${where}${allowed}`;
}

/** What the schema wants, in words: "a whole number ≥ 1", "text of 2 to 10 characters". */
function expectation(schema: Schema): string {
  const types = Array.isArray(schema['type']) ? (schema['type'] as unknown[]) : schema['type'] === undefined ? ['number'] : [schema['type']];
  return types.map((type) => typeWords(String(type)) + (type === 'integer' || type === 'number' ? range(schema) : '')).join(' or ');
}

function typeWords(type: string): string {
  const words: Record<string, string> = {
    integer: 'a whole number',
    number: 'a number',
    string: 'text',
    boolean: 'true or false',
    array: 'a list',
    object: 'an object',
    null: 'null',
  };
  return words[type] ?? `of type ${type}`;
}

function range(schema: Schema): string {
  const bounds: string[] = [];
  if (typeof schema['minimum'] === 'number') bounds.push(`≥ ${schema['minimum']}`);
  if (typeof schema['exclusiveMinimum'] === 'number') bounds.push(`> ${schema['exclusiveMinimum']}`);
  if (typeof schema['maximum'] === 'number') bounds.push(`≤ ${schema['maximum']}`);
  if (typeof schema['exclusiveMaximum'] === 'number') bounds.push(`< ${schema['exclusiveMaximum']}`);
  return bounds.length === 0 ? '' : ` ${bounds.join(' and ')}`;
}

const FORMATS: Readonly<Record<string, string>> = {
  date: 'a date (YYYY-MM-DD)',
  'date-time': 'a date and time (e.g. 2025-01-05T10:00:00Z)',
  time: 'a time with its zone (e.g. 10:00:00Z)',
  duration: 'an ISO 8601 duration (e.g. P1D)',
  email: 'an e-mail address',
  hostname: 'a host name',
  ipv4: 'an IPv4 address',
  ipv6: 'an IPv6 address',
  uri: 'an absolute URL',
  url: 'an absolute URL',
  uuid: 'a UUID',
  regex: 'a regular expression',
};

function formatWords(format: string): string {
  return FORMATS[format] ?? `in the format "${format}"`;
}

function count(limit: unknown, one: string, many = `${one}s`): string {
  return `${String(limit)} ${limit === 1 ? one : many}`;
}

/** A value as JSON, shortened: it goes into a comment. */
function showData(value: unknown): string {
  if (value === undefined) return 'nothing';
  const json = JSON.stringify(value);
  if (Array.isArray(value) && json.length > 40) return 'a list';
  if (typeof value === 'object' && value !== null && json.length > 40) return 'an object';
  return json.length > 60 ? `${json.slice(0, 57)}..."` : json;
}
