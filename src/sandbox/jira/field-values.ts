import { takeText, textRefusal, type RestApi } from './deployment.js';
import type { JiraCatalog } from './catalog.js';
import type { FieldDefinition } from './fields.js';

export type WriteResult = { ok: true; value: unknown } | { ok: false; message: string };

export const NOT_ON_SCREEN = (id: string): string =>
  `Field '${id}' cannot be set. It is not on the appropriate screen, or unknown.`;

/** Turns a value written through the API into the stored (read) representation, or says why not. */
export function writeFieldValue(field: FieldDefinition, value: unknown, api: RestApi): WriteResult {
  if (value === null) return field.id === 'summary' ? fail('You must specify a summary of the issue.') : { ok: true, value: null };
  switch (field.kind) {
    case 'select':
      return writeSelect(field, value, api);
    case 'textarea': {
      const stored = takeText(api, value);
      return stored ? { ok: true, value: stored } : fail(textRefusal(api));
    }
    case 'textfield':
      if (typeof value !== 'string') return fail('Operation value must be a string');
      return value.length > 255 ? fail(`${field.name} must be less than 255 characters.`) : { ok: true, value };
    case 'summary':
      if (typeof value !== 'string') return fail('Operation value must be a string');
      return value.trim() === '' ? fail('You must specify a summary of the issue.') : { ok: true, value };
    case 'labels':
      return Array.isArray(value) && value.every((label) => typeof label === 'string' && !/\s/.test(label))
        ? { ok: true, value }
        : fail('Labels must be an array of strings without spaces.');
    default:
      return fail(NOT_ON_SCREEN(field.id));
  }
}

function writeSelect(field: FieldDefinition, value: unknown, api: RestApi): WriteResult {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return fail(`Specify a valid 'id' or 'name' for ${field.name}`);
  }
  const input = value as { id?: unknown; value?: unknown };
  const options = field.options ?? [];
  const option =
    input.id !== undefined
      ? options.find((candidate) => candidate.id === show(input.id))
      : options.find((candidate) => candidate.value === input.value);
  if (!option) {
    return input.id !== undefined ? fail(`Option id '${show(input.id)}' is not valid`) : fail(`Option value '${show(input.value)}' is not valid`);
  }
  return { ok: true, value: { self: `${api.url}/customFieldOption/${option.id}`, value: option.value, id: option.id } };
}

function show(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : JSON.stringify(value) ?? 'undefined';
}

function fail(message: string): WriteResult {
  return { ok: false, message };
}

/** Checks a whole `fields` object against what may be set; returns stored values or per-field errors. */
export function writeFields(
  catalog: JiraCatalog,
  fields: Record<string, unknown>,
  allowed: (field: FieldDefinition) => boolean,
  api: RestApi,
): { ok: true; values: Record<string, unknown> } | { ok: false; errors: Record<string, string> } {
  const values: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const [id, value] of Object.entries(fields)) {
    const field = catalog.field(id);
    if (!field || !field.editable || !allowed(field)) {
      errors[id] = NOT_ON_SCREEN(id);
      continue;
    }
    const result = writeFieldValue(field, value, api);
    if (result.ok) values[id] = result.value;
    else errors[id] = result.message;
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, values };
}

/** The plain text a value shows in a changelog item. */
export function displayString(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.join(' ');
  if (typeof value === 'object' && 'value' in value) return String((value).value);
  return JSON.stringify(value);
}
