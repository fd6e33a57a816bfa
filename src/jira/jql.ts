/** A JQL string literal: double quotes, with backslash and quote escaped. */
export function quoteJql(value: string): string {
  return `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

/**
 * The Ready tickets of these projects, oldest change first (doctor samples one). `updatedSince` becomes a
 * relative date (`-Nm`): JQL date literals are read in the Jira user's time zone, relative ones are not.
 * One minute more than needed covers the rounding.
 */
export function readyJql(projects: readonly string[], statuses: string | readonly string[], updatedSince: Date | null, now: Date): string {
  return `${readyWhere(projects, statuses, updatedSince, now)} ORDER BY updated ASC`;
}

function readyWhere(projects: readonly string[], statuses: string | readonly string[], updatedSince: Date | null, now: Date): string {
  const names = [...new Set(typeof statuses === 'string' ? [statuses] : statuses)];
  const status = names.length === 1 ? `status = ${quoteJql(names[0] ?? '')}` : `status in (${names.map(quoteJql).join(', ')})`;
  const clauses = [`project in (${projects.map(quoteJql).join(', ')})`, status];
  if (updatedSince !== null) clauses.push(`updated >= -${minutesSince(updatedSince, now)}m`);
  return clauses.join(' AND ');
}

export function minutesSince(since: Date, now: Date): number {
  const minutes = Math.ceil((now.getTime() - since.getTime()) / 60_000) + 1;
  return Math.max(1, minutes);
}

export function keysJql(keys: readonly string[]): string {
  return `key in (${keys.map(quoteJql).join(', ')})`;
}

const NEWEST_FIRST = 'ORDER BY updated DESC';

/** Projects searched for the same statuses. */
export interface SearchGroup {
  projects: readonly string[];
  statuses: readonly string[];
}

/**
 * The change feed's search (and the full resync's), across projects whose workflows name their statuses
 * differently: one clause per group of projects that share status names, joined by OR, under one
 * `updated` bound. Newest change first, so a feed can stop paging at its exact instant (the bound is
 * whole minutes wide) and a change made while it pages never hides an unread ticket (see newest-first.ts).
 */
export function groupedJql(groups: readonly SearchGroup[], updatedSince: Date | null, now: Date): string {
  const first = groups[0];
  if (groups.length === 1 && first) return `${readyWhere(first.projects, first.statuses, updatedSince, now)} ${NEWEST_FIRST}`;
  const clauses = groups.map((group) => {
    const names = [...new Set(group.statuses)];
    return `(project in (${group.projects.map(quoteJql).join(', ')}) AND status in (${names.map(quoteJql).join(', ')}))`;
  });
  const bound = updatedSince === null ? '' : ` AND updated >= -${minutesSince(updatedSince, now)}m`;
  return `(${clauses.join(' OR ')})${bound} ${NEWEST_FIRST}`;
}
