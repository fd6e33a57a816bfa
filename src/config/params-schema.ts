import { createRequire } from 'node:module';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { describeParamsErrors } from './params-errors.js';
import type { Config, SourceConfig } from './schema.js';

export type ParamsValidator = (params: unknown) => string[];

/** A ticket's Parameters after its schema: the object with defaults filled in, or what is wrong. */
export interface ParamsOutcome {
  params: Record<string, unknown>;
  /** Plain sentences, one per problem; empty when valid. */
  problems: string[];
}

/**
 * Checks a ticket's Parameters for its source and run type: the run type's paramsSchema when it has
 * one, else the source's, else anything goes. `runType` is null when the ticket's is not usable.
 */
export type ParamsCheck = (source: string, runType: string | null, params: Record<string, unknown>) => ParamsOutcome;

type Compiled = (params: unknown) => { value: unknown; problems: string[] };

// Schemas that declare `$schema: draft-07` are accepted too; the 2020 engine validates them the same way.
const draft07 = createRequire(import.meta.url)('ajv/dist/refs/json-schema-draft-07.json') as Record<string, unknown>;

function compileSchema(schema: Readonly<Record<string, unknown>>): Compiled {
  // A fresh engine per schema: two sources may share a schema with the same $id.
  const ajv = new Ajv2020({
    allErrors: true,
    useDefaults: true,
    verbose: true,
    strictTypes: false,
    strictTuples: false,
    strictRequired: false,
    logger: false,
  });
  addFormatsModule.default(ajv);
  ajv.addMetaSchema(draft07);
  const validate = ajv.compile(schema);
  return (params) => {
    // useDefaults writes into the data: the ticket's own object stays as it was read.
    const value = structuredClone(params);
    return validate(value) ? { value, problems: [] } : { value, problems: describeParamsErrors(validate.errors ?? []) };
  };
}

/** Compiles one parameter schema; throws ajv's error when the schema itself is wrong. */
export function compileParamsSchema(schema: Readonly<Record<string, unknown>>): ParamsValidator {
  const check = compileSchema(schema);
  return (params) => check(params).problems;
}

/** Per source, the problems a ticket's Parameters have against the source's own schema. */
export function compileParamsSchemas(config: Pick<Config, 'sources'>): Map<string, ParamsValidator> {
  const validators = new Map<string, ParamsValidator>();
  for (const [source, settings] of Object.entries(config.sources)) {
    validators.set(source, settings.paramsSchema === undefined ? () => [] : compileParamsSchema(settings.paramsSchema));
  }
  return validators;
}

type SchemaCache = WeakMap<object, Compiled>;

/** The check for one set of sources (the top level's, or a project's); every schema compiled once, here. */
export function compileParamsCheck(sources: Readonly<Record<string, SourceConfig>>, cache: SchemaCache = new WeakMap()): ParamsCheck {
  const compile = (schema: Readonly<Record<string, unknown>>): Compiled => {
    const known = cache.get(schema);
    if (known !== undefined) return known;
    const compiled = compileSchema(schema);
    cache.set(schema, compiled);
    return compiled;
  };
  const bySource = new Map<string, { own: Compiled | undefined; byRunType: Map<string, Compiled> }>();
  for (const [source, settings] of Object.entries(sources)) {
    const byRunType = new Map<string, Compiled>();
    for (const [runType, own] of Object.entries(settings.runTypes ?? {})) {
      if (own.paramsSchema !== undefined) byRunType.set(runType, compile(own.paramsSchema));
    }
    bySource.set(source, { own: settings.paramsSchema === undefined ? undefined : compile(settings.paramsSchema), byRunType });
  }
  return (source, runType, params) => {
    const compiled = bySource.get(source);
    const check = (runType === null ? undefined : compiled?.byRunType.get(runType)) ?? compiled?.own;
    if (check === undefined) return { params, problems: [] };
    const { value, problems } = check(params);
    return { params: value as Record<string, unknown>, problems };
  };
}

/** Per project key, the check for its tickets; a key not listed falls back to the top-level sources. */
export function compileProjectParamsChecks(config: Pick<Config, 'sources' | 'projectSettings'>): (projectKey: string) => ParamsCheck {
  // Projects mostly keep the top-level sources' schemas: each schema object is compiled once.
  const cache: SchemaCache = new WeakMap();
  const top = compileParamsCheck(config.sources, cache);
  const byProject = new Map<string, ParamsCheck>();
  for (const [key, settings] of Object.entries(config.projectSettings)) byProject.set(key, compileParamsCheck(settings.sources, cache));
  return (projectKey) => byProject.get(projectKey) ?? top;
}
