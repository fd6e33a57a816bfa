import type { SimIssue } from '../model.js';
import { compileClause } from './evaluate.js';
import { JqlError } from './lexer.js';
import { compileOrder } from './order.js';
import { parseJql } from './parser.js';
import type { JqlContext } from './values.js';

export { JqlError } from './lexer.js';
export type { JqlContext } from './values.js';

/** Filters and orders issues by JQL as /search/jql does: unbounded or invalid queries throw JqlError. */
export function runJql(jql: string, issues: readonly SimIssue[], context: JqlContext): SimIssue[] {
  const query = parseJql(jql);
  if (!query.where) {
    throw new JqlError('Unbounded JQL queries are not allowed here. Please add a search restriction to your query.');
  }
  const errors: string[] = [];
  const predicate = compileClause(query.where, context, errors);
  const comparator = compileOrder(query.orderBy, errors, context.catalog);
  if (errors.length > 0) throw new JqlError(errors);
  return issues.filter(predicate).sort(comparator);
}
