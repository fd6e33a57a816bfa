import { compileConfCheck, type DeclaredParam } from '../airflow/dag-params.js';
import type { RunConf } from '../airflow/gateway.js';

/** The keys of the `conf` the reconciler sends with every trigger (CONTRACT §4). */
export const CONF_KEYS = ['jira_issue_key', 'source', 'run_type', 'params', 'environment'] as const satisfies ReadonlyArray<keyof RunConf>;

/**
 * What is wrong with a DAG's declared params for the reconciler's conf. Airflow merges the trigger's
 * conf into the DAG's params and validates the result, so a DAG that declares params should declare
 * the conf keys, accept their values, and require nothing else. `samples` are confs the reconciler
 * could send (one per run type and environment); `params` is checked only for being an object, as its
 * content is the ticket's. Empty when the DAG declares no params: Airflow then takes the conf as sent.
 */
export function confProblems(declared: readonly DeclaredParam[], samples: readonly RunConf[]): string[] {
  if (declared.length === 0) return [];
  const names = new Set(declared.map((param) => param.name));
  const problems: string[] = [];
  const undeclared = CONF_KEYS.filter((key) => !names.has(key));
  if (undeclared.length > 0) problems.push(`declares params but not the conf key${undeclared.length === 1 ? '' : 's'} ${undeclared.join(', ')}`);
  const check = compileConfCheck(declared.filter((param) => param.name !== 'params'));
  for (const sample of samples) {
    const { params: _ticketParams, ...rest } = sample;
    for (const problem of check(rest)) if (!problems.includes(problem)) problems.push(problem);
  }
  const params = declared.find((param) => param.name === 'params');
  if (params && !acceptsObject(params.schema)) problems.push('`params` is declared with a type that is not a JSON object');
  return problems;
}

function acceptsObject(schema: Readonly<Record<string, unknown>>): boolean {
  const { type } = schema;
  if (type === undefined) return true;
  return Array.isArray(type) ? type.includes('object') : type === 'object';
}
