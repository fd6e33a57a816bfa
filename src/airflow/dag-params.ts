import { createRequire } from 'node:module';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { isUpstreamError } from '../http/errors.js';
import { DagDetails } from './cancel-schema.js';
import type { AirflowClient } from './client.js';
import { dagPath } from './paths.js';

/** One param a DAG declares, as its details show it. */
export interface DeclaredParam {
  name: string;
  /**
   * The default. Airflow shows a Param without a default with a null value, so null means "none, or
   * null": whether the param may be left out is the schema's call (does it accept null?), as in Airflow.
   */
  default: unknown;
  description: string | null;
  /** The Param's JSON Schema keywords (`type`, `enum`, `minimum`...); {} for a plain value. */
  schema: Record<string, unknown>;
}

// Schemas that declare `$schema: draft-07` are checked too; the 2020 engine validates them the same way.
const draft07 = createRequire(import.meta.url)('ajv/dist/refs/json-schema-draft-07.json') as Record<string, unknown>;

/** The params the DAG declares, from GET /dags/{dag_id}/details (both versions); null when there is no such DAG. */
export async function readDagParams(deps: { client: AirflowClient }, dagId: string): Promise<DeclaredParam[] | null> {
  try {
    const details = await deps.client.send({ method: 'GET', path: `${dagPath(dagId)}/details` }, DagDetails);
    return declaredParams(details.params);
  } catch (error) {
    if (isUpstreamError(error, 'not_found')) return null;
    throw error;
  }
}

/**
 * Reads the `params` of DAG details. Airflow dumps each Param as `{__class, value, description,
 * schema}` (Airflow 2.0 wrote `__type` and `default`); anything else is a plain value, a default
 * without a schema.
 */
export function declaredParams(raw: Readonly<Record<string, unknown>> | null | undefined): DeclaredParam[] {
  return Object.entries(raw ?? {}).map(([name, value]) => {
    if (!isParamDump(value)) return { name, default: value, description: null, schema: {} };
    return {
      name,
      default: value.value ?? value.default ?? null,
      description: typeof value.description === 'string' ? value.description : null,
      schema: isRecord(value.schema) ? value.schema : {},
    };
  });
}

/** Compiles the declared params once; the checker lists the problems of one set of values. */
export function compileConfCheck(declared: readonly DeclaredParam[]): (params: Readonly<Record<string, unknown>>) => string[] {
  const ajv = new Ajv2020({ allErrors: true, strict: false, logger: false });
  addFormatsModule.default(ajv);
  ajv.addMetaSchema(draft07);
  const checks = declared.map((param) => ({ param, validate: compile(ajv, param) }));
  return (params) =>
    checks.flatMap(({ param, validate }) => {
      if (typeof validate === 'string') return [validate];
      const given = Object.hasOwn(params, param.name);
      // Airflow fills a missing param with its default; only a null default can fail (a required param).
      if (!given && param.default !== null) return [];
      if (validate(given ? params[param.name] : null)) return [];
      if (!given) return [`\`${param.name}\` is required: the DAG declares it without a default`];
      return (validate.errors ?? []).map((error) => describeError(param.name, error));
    });
}

/**
 * The problems, in plain words with the param's path, that Airflow would refuse the trigger for: a
 * param without a default left out, or a value its schema does not accept. `params` is the object whose
 * keys are the DAG's param names. Empty when Airflow would take it.
 */
export function checkConfParams(declared: readonly DeclaredParam[], params: Readonly<Record<string, unknown>>): string[] {
  return compileConfCheck(declared)(params);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isParamDump(value: unknown): value is Record<string, unknown> {
  return isRecord(value) && (typeof value.__class === 'string' || typeof value.__type === 'string');
}

/** The validator, or the problem when the DAG's schema cannot be compiled (Airflow would refuse every trigger then too). */
function compile(ajv: Ajv2020, param: DeclaredParam): ValidateFunction | string {
  try {
    return ajv.compile(param.schema);
  } catch (error) {
    return `\`${param.name}\`: the DAG declares a schema that cannot be checked (${(error as Error).message}); ask the DAG's author to fix it`;
  }
}

const TYPE_WORDS: Record<string, string> = {
  integer: 'a whole number',
  number: 'a number',
  string: 'text',
  boolean: 'true or false',
  object: 'a JSON object',
  array: 'a list',
  null: 'null',
};

function describeError(name: string, error: ErrorObject): string {
  const where = `\`${pathOf(name, error.instancePath)}\``;
  const { params } = error;
  switch (error.keyword) {
    case 'type': {
      const types = Array.isArray(params.type) ? (params.type as string[]) : String(params.type).split(',');
      return `${where} must be ${types.map((type) => TYPE_WORDS[type] ?? type).join(' or ')}`;
    }
    case 'enum':
      return `${where} must be one of ${(params.allowedValues as unknown[]).map((value) => JSON.stringify(value)).join(', ')}`;
    case 'const':
      return `${where} must be ${JSON.stringify(params.allowedValue)}`;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `${where} must be ${String(params.comparison)} ${String(params.limit)}`.replace('>=', '≥').replace('<=', '≤');
    case 'minLength':
      return `${where} must be at least ${String(params.limit)} characters long`;
    case 'maxLength':
      return `${where} must be at most ${String(params.limit)} characters long`;
    case 'minItems':
      return `${where} must have at least ${String(params.limit)} items`;
    case 'maxItems':
      return `${where} must have at most ${String(params.limit)} items`;
    case 'pattern':
      return `${where} must match the pattern ${String(params.pattern)}`;
    case 'format':
      return `${where} must be a valid ${String(params.format)}`;
    case 'required':
      return `\`${pathOf(name, `${error.instancePath}/${String(params.missingProperty)}`)}\` is required`;
    case 'additionalProperties':
      return `${where} has a key the DAG does not take: \`${String(params.additionalProperty)}\``;
    default:
      return `${where} ${error.message ?? `fails the DAG's ${error.keyword} rule`}`;
  }
}

/** `max_pages`, `filters.country`, `ids[0]`: the param's name and the JSON pointer below it. */
function pathOf(name: string, pointer: string): string {
  let path = name;
  for (const segment of pointer.split('/').slice(1)) {
    const key = segment.replaceAll('~1', '/').replaceAll('~0', '~');
    path += /^\d+$/.test(key) ? `[${key}]` : `.${key}`;
  }
  return path;
}
