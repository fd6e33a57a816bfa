import type { JiraCatalog } from '../catalog.js';
import type { SimIssue } from '../model.js';
import type { SortKey } from './ast.js';
import { splitKey } from './evaluate.js';
import { sortValue } from './values.js';

export type Comparator = (a: SimIssue, b: SimIssue) => number;

/** Without ORDER BY: newest created first. Ties always break on id so paging is stable. */
const DEFAULT_ORDER: SortKey[] = [{ field: 'created', direction: 'desc' }];

export function compileOrder(keys: SortKey[], errors: string[], catalog: JiraCatalog): Comparator {
  const parts = (keys.length > 0 ? keys : DEFAULT_ORDER).map((key) => comparatorFor(key, errors, catalog));
  return (a, b) => {
    for (const part of parts) {
      const result = part(a, b);
      if (result !== 0) return result;
    }
    return Number(a.id) - Number(b.id);
  };
}

function comparatorFor(key: SortKey, errors: string[], catalog: JiraCatalog): Comparator {
  const sign = key.direction === 'desc' ? -1 : 1;
  if (['key', 'issuekey', 'id'].includes(key.field.toLowerCase())) {
    return (a, b) => {
      const [projectA, numberA] = splitKey(a.key);
      const [projectB, numberB] = splitKey(b.key);
      return sign * (projectA === projectB ? numberA - numberB : projectA.localeCompare(projectB));
    };
  }
  const field = catalog.jqlField(key.field);
  if (!field || field.kind === 'comment' || field.id === 'description') {
    errors.push(field ? `Field '${key.field}' does not support sorting.` : `Not able to sort using field '${key.field}'.`);
    return () => 0;
  }
  return (a, b) => sign * compareValues(sortValue(field, a, catalog), sortValue(field, b, catalog));
}

/** EMPTY sorts after every value in ascending order, as in Jira. */
function compareValues(a: string | number | null, b: string | number | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b));
}
