import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import addFormatsModule from 'ajv-formats';
import { OpenAPIBackend, type Document, type Operation } from 'openapi-backend';
import { parse as parseYaml } from 'yaml';
import type { LoggedExchange } from '../../src/sandbox/common/request-log.js';

/** The real specs in ../shared/specs, and the Data Center subset recorded in this repository (see DATACENTER.md). */
export type SpecName = 'jira-v3.json' | 'airflow-v1.yaml' | 'airflow-v2.yaml' | 'jira-datacenter-v2.yaml';

/**
 * A spec rule known to be wrong about the real service, so violations of it are not reported.
 * Matched against each violation: every given part must match.
 */
export interface Relaxation {
  operationId?: string;
  /** Where the violation was found. */
  in?: 'request' | 'response';
  /** The ajv keyword, e.g. 'required'. */
  keyword?: string;
  /** A substring of the violation's instance path, e.g. '/logical_date'. */
  path?: string;
  why: string;
}

export interface Violation {
  exchange: string;
  operationId: string | null;
  in: 'request' | 'response' | 'route';
  keyword: string;
  path: string;
  message: string;
}

export interface ContractValidator {
  name: SpecName;
  relaxations: readonly Relaxation[];
  /** Violations of one exchange, relaxations applied. */
  check(exchange: LoggedExchange): Violation[];
}

// ajv-formats is CommonJS: under NodeNext its plugin is the default import's `default`.
const addFormats = addFormatsModule.default;

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SPECS_DIR = resolve(REPO_ROOT, '..', 'shared', 'specs');

/** Jira Data Center publishes no OpenAPI file we may use; its recorded subset lives beside its tests. */
const RECORDED: Partial<Record<SpecName, string>> = {
  'jira-datacenter-v2.yaml': resolve(REPO_ROOT, 'test', 'sandbox', 'jira', 'datacenter-v2.yaml'),
};

function specPath(name: SpecName): string {
  return RECORDED[name] ?? join(SPECS_DIR, name);
}

/** Why a contract suite is skipped, or null when the specs are there. */
export function specsMissingReason(name: SpecName): string | null {
  return existsSync(specPath(name)) ? null : `contract tests skipped: ${specPath(name)} is absent (the specs live beside the repository, not in it)`;
}

/**
 * Loads an OpenAPI spec from ../shared/specs (null when absent) into a validator.
 * Relaxations, documented where they are made: these specs are trusted for paths and shapes, not for
 * every `required` list (see specs/SOURCES.md). By default nothing is relaxed; pass the known-wrong
 * rules with the reason, so every relaxation is visible in the test that needs it.
 */
export async function loadSpec(name: SpecName, relaxations: readonly Relaxation[] = []): Promise<ContractValidator | null> {
  if (specsMissingReason(name) !== null) return null;
  const text = await readFile(specPath(name), 'utf8');
  const definition = nullableWithoutType(name.endsWith('.json') ? JSON.parse(text) : parseYaml(text)) as Document;
  const api = new OpenAPIBackend({
    definition,
    apiRoot: apiRoot(definition),
    quick: true,
    validate: true,
    strict: false,
    ajvOpts: { strict: false, logger: false },
    customizeAjv: (ajv) => {
      addFormats(ajv);
      return ajv;
    },
  });
  await api.init();
  return { name, relaxations, check: (exchange) => checkExchange(api, exchange).filter((violation) => !relaxed(violation, relaxations)) };
}

/** Readable violations of every exchange (empty = the traffic conforms to the spec). */
export function validateExchanges(validator: ContractValidator, entries: readonly LoggedExchange[]): string[] {
  return entries.flatMap((entry) => validator.check(entry)).map((violation) => {
    const where = violation.path === '' ? '' : ` at ${violation.path}`;
    return `${violation.exchange} [${violation.operationId ?? 'no operation'}] ${violation.in}${where}: ${violation.message}`;
  });
}

function apiRoot(definition: Document): string {
  const url = (definition.servers ?? [])[0]?.url ?? '/';
  return url.startsWith('/') ? url : '/';
}

function checkExchange(api: OpenAPIBackend, exchange: LoggedExchange): Violation[] {
  const label = `${exchange.method} ${exchange.path}${exchange.query === '' ? '' : `?${exchange.query}`} -> ${exchange.status}`;
  if (exchange.status === 0) return [];
  const request = {
    method: exchange.method.toLowerCase(),
    path: exchange.path,
    query: exchange.query,
    headers: { 'content-type': 'application/json' },
    body: exchange.requestBody,
  };
  const operation = api.matchOperation(request);
  if (!operation) {
    return [{ exchange: label, operationId: null, in: 'route', keyword: 'route', path: '', message: 'no operation in the spec serves this method and path' }];
  }
  const operationId = operation.operationId ?? null;
  const violations: Violation[] = [];
  const push = (where: 'request' | 'response', errors: ValidationError[] | null | undefined): void => {
    for (const error of errors ?? []) {
      violations.push({ exchange: label, operationId, in: where, keyword: error.keyword, path: error.instancePath ?? '', message: describe(error) });
    }
  };
  push('request', api.validateRequest(request, operation).errors);
  if (!documentsStatus(operation, exchange.status)) {
    violations.push({ exchange: label, operationId, in: 'response', keyword: 'status', path: '', message: `status ${exchange.status} is not documented for this operation` });
  } else if (exchange.responseBody !== undefined && typeof exchange.responseBody !== 'string') {
    push('response', api.validateResponse(exchange.responseBody, operation, exchange.status).errors);
  }
  return violations;
}

interface ValidationError {
  keyword: string;
  instancePath?: string;
  message?: string;
  params?: Record<string, unknown>;
}

function describe(error: ValidationError): string {
  const detail = error.params && Object.keys(error.params).length > 0 ? ` ${JSON.stringify(error.params)}` : '';
  return `${error.message ?? error.keyword}${detail}`;
}

function documentsStatus(operation: Operation, status: number): boolean {
  const responses = operation.responses ?? {};
  return String(status) in responses || `${String(status).charAt(0)}XX` in responses || 'default' in responses;
}

function relaxed(violation: Violation, relaxations: readonly Relaxation[]): boolean {
  return relaxations.some(
    (rule) =>
      (rule.operationId === undefined || rule.operationId === violation.operationId) &&
      (rule.in === undefined || rule.in === violation.in) &&
      (rule.keyword === undefined || rule.keyword === violation.keyword) &&
      (rule.path === undefined || violation.path.includes(rule.path)),
  );
}

/**
 * OpenAPI 3.0 allows `nullable` on a schema without a `type` (the Airflow v1 spec's ScheduleInterval,
 * TimeDelta, ...), which ajv refuses to compile: such a schema becomes `anyOf [schema, {type: 'null'}]`,
 * the meaning OpenAPI gives it.
 */
function nullableWithoutType(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(nullableWithoutType);
  if (typeof node !== 'object' || node === null) return node;
  const entries = Object.entries(node).map(([key, value]) => [key, nullableWithoutType(value)] as const);
  const copy: Record<string, unknown> = Object.fromEntries(entries);
  if (copy.nullable !== true || 'type' in copy) return copy;
  const { nullable: _nullable, ...schema } = copy;
  return { anyOf: [schema, { type: 'null' }] };
}
