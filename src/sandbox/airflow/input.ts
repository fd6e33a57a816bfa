import { parseDateTime } from './dates.js';

/** Bad client input; v1 answers it with a 400 problem, v2 with a FastAPI-style 422. */
export class InputError extends Error {
  constructor(
    readonly loc: Array<string | number>,
    message: string,
    readonly input: unknown,
    readonly type = 'value_error',
    /** Airflow 3 answers some bad input (an unknown order_by field) with a 400 instead of a 422. */
    readonly status: 400 | 422 = 422,
  ) {
    super(message);
  }
}

export function intParam(query: URLSearchParams, name: string, fallback: number, min: number): number {
  const text = query.get(name);
  if (text === null || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value)) throw new InputError(['query', name], 'Input should be a valid integer', text, 'int_parsing');
  if (value < min) throw new InputError(['query', name], `Input should be greater than or equal to ${min}`, text, 'greater_than_equal');
  return value;
}

export function boolParam(query: URLSearchParams, name: string, fallback: boolean): boolean {
  const text = query.get(name);
  if (text === null || text === '') return fallback;
  if (/^(true|1)$/i.test(text)) return true;
  if (/^(false|0)$/i.test(text)) return false;
  throw new InputError(['query', name], 'Input should be a valid boolean', text, 'bool_parsing');
}

export function dateParam(query: URLSearchParams, name: string): number | undefined {
  const text = query.get(name);
  return text === null ? undefined : parseDate(text, ['query', name]);
}

export function parseDate(value: unknown, loc: Array<string | number>): number {
  const ms = typeof value === 'string' ? parseDateTime(value) : null;
  if (ms === null) throw new InputError(loc, 'Input should be a valid datetime with a timezone, e.g. 2025-01-05T10:00:00+00:00', value, 'datetime_parsing');
  return ms;
}

export function objectBody(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new InputError(['body'], 'The request body must be a JSON object', body, 'model_attributes_type');
  }
  return body as Record<string, unknown>;
}

export function rejectUnknownKeys(body: Record<string, unknown>, allowed: readonly string[]): void {
  for (const key of Object.keys(body)) {
    if (!allowed.includes(key)) throw new InputError(['body', key], 'Extra inputs are not permitted', body[key], 'extra_forbidden');
  }
}

export function optionalString(body: Record<string, unknown>, key: string): string | null | undefined {
  const value = body[key];
  if (value === undefined || value === null || typeof value === 'string') return value;
  throw new InputError(['body', key], 'Input should be a valid string', value, 'string_type');
}

export function optionalInt(body: Record<string, unknown>, key: string, min: number): number | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new InputError(['body', key], 'Input should be a valid integer', value, 'int_type');
  if (value < min) throw new InputError(['body', key], `Input should be greater than or equal to ${min}`, value, 'greater_than_equal');
  return value;
}

export function optionalBool(body: Record<string, unknown>, key: string): boolean | undefined {
  const value = body[key];
  if (value === undefined || value === null || typeof value === 'boolean') return value ?? undefined;
  throw new InputError(['body', key], 'Input should be a valid boolean', value, 'bool_type');
}

export function optionalStringList(body: Record<string, unknown>, key: string): string[] | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
    throw new InputError(['body', key], 'Input should be a valid list of strings', value, 'list_type');
  }
  return value as string[];
}

/** Airflow's built-in run id pattern. */
export const RUN_ID_PATTERN = /^[A-Za-z0-9_.~:+-]+$/;
