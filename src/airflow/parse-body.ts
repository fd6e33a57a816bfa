import type { z } from 'zod';
import { UpstreamError } from '../http/errors.js';

/**
 * Parses a 2xx body at the edge. A body that does not match is a `bad_response` naming the request and
 * each wrong field, so an operator can tell a proxy's HTML page from an Airflow version mismatch.
 */
export function parseBody<S extends z.ZodType>(schema: S, data: unknown, what: string): z.infer<S> {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const problems = result.error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'body'}: ${issue.message}`)
    .join('; ');
  throw new UpstreamError(
    'airflow',
    'bad_response',
    `Airflow answered ${what} with a body this daemon cannot read (${problems}); ` +
      'check that AIRFLOW_BASE_URL points at the Airflow web server and AIRFLOW_API_VERSION matches its version',
  );
}
