import { createRequire } from 'node:module';
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { Config } from './schema.js';

export type ParamsValidator = (params: unknown) => string[];

// Schemas that declare `$schema: draft-07` are accepted too; the 2020 engine validates them the same way.
const draft07 = createRequire(import.meta.url)('ajv/dist/refs/json-schema-draft-07.json') as Record<string, unknown>;

/** Compiles one source's parameter schema; throws ajv's error when the schema itself is wrong. */
export function compileParamsSchema(schema: Readonly<Record<string, unknown>>): ParamsValidator {
  // A fresh engine per schema: two sources may share a schema with the same $id.
  const ajv = new Ajv2020({ allErrors: true, strictTypes: false, strictTuples: false, strictRequired: false, logger: false });
  addFormatsModule.default(ajv);
  ajv.addMetaSchema(draft07);
  const validate = ajv.compile(schema);
  return (params) => (validate(params) ? [] : (validate.errors ?? []).map(describeError));
}

/** Per source, the problems a ticket's Parameters have (`/limit must be >= 1`); empty when valid or no schema. */
export function compileParamsSchemas(config: Pick<Config, 'sources'>): Map<string, ParamsValidator> {
  const validators = new Map<string, ParamsValidator>();
  for (const [source, settings] of Object.entries(config.sources)) {
    validators.set(source, settings.paramsSchema === undefined ? () => [] : compileParamsSchema(settings.paramsSchema));
  }
  return validators;
}

function describeError(error: ErrorObject): string {
  const message = error.message ?? `fails ${error.keyword}`;
  const extra = error.keyword === 'additionalProperties' ? ` (${String(error.params['additionalProperty'])})` : '';
  return `${error.instancePath} ${message}${extra}`.trim();
}
