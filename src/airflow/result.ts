import { parsePythonLiteral } from './python-literal.js';

/**
 * The XCom value as the DAG returned it. Airflow sends it as JSON when asked right, but some XCom
 * backends hand back the JSON as a string (at times twice encoded), and Airflow 2 with pickling or
 * stringify sends a Python repr. What cannot be read is given back unchanged; judging it is the engine's job.
 */
export function decodeXcomValue(value: unknown): unknown {
  return decode(value, 0);
}

function decode(value: unknown, depth: number): unknown {
  if (typeof value !== 'string' || depth > 1) return value;
  const text = value.trim();
  try {
    return decode(JSON.parse(text), depth + 1);
  } catch {
    const parsed = parsePythonLiteral(text);
    return parsed ? parsed.value : value;
  }
}
