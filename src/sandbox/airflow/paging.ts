import { intParam } from './input.js';
import { MAX_PAGE_LIMIT } from './run-filters.js';

/** `limit` from a query string, cut to the most Airflow hands out in one page. */
export function limitParam(query: URLSearchParams, fallback: number): number {
  return Math.min(intParam(query, 'limit', fallback, 0), MAX_PAGE_LIMIT);
}

export function offsetParam(query: URLSearchParams): number {
  return intParam(query, 'offset', 0, 0);
}

export function pageOf<T>(items: readonly T[], offset: number, limit: number): T[] {
  return items.slice(offset, offset + limit);
}
