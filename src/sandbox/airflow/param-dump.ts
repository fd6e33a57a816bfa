import type { SimParam } from './types.js';

/**
 * A DAG's params as its details show them: Airflow dumps each Param as `{__class, value, description,
 * schema}`, with a null value for a Param without a default. `paramClass` is the Param class's
 * module path, which moved to the Task SDK in Airflow 3.
 */
export function dumpParams(params: Record<string, SimParam>, paramClass: string): Record<string, unknown> {
  const dumped: Record<string, unknown> = {};
  for (const [name, param] of Object.entries(params)) {
    dumped[name] = {
      __class: paramClass,
      value: param.default === undefined ? null : param.default,
      description: param.description ?? null,
      schema: param.schema ?? {},
    };
  }
  return dumped;
}
