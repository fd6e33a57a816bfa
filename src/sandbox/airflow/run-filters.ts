import { parseDate } from './input.js';
import type { DateField, RangeOp, RunQuery } from './query.js';

/**
 * Date range filters such as `start_date_gte`, read from a query string or a JSON body. `fields` maps
 * the API's field names to the run's dates (Airflow 2's execution_date is the logical date).
 */
export function collectRanges(
  read: (name: string) => unknown,
  fields: Record<string, DateField>,
  ops: readonly RangeOp[],
  where: 'query' | 'body',
): RunQuery['ranges'] {
  const ranges: RunQuery['ranges'] = [];
  for (const [name, field] of Object.entries(fields)) {
    for (const op of ops) {
      const key = `${name}_${op}`;
      const value = read(key);
      if (value === undefined || value === null) continue;
      ranges.push({ field, op, value: parseDate(value, [where, key]) });
    }
  }
  return ranges;
}

/** The most Airflow hands out in one page ([api] maximum_page_limit); bigger asks are cut to it. */
export const MAX_PAGE_LIMIT = 100;
