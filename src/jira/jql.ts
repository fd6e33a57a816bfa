/** A JQL string literal: double quotes, with backslash and quote escaped. */
export function quoteJql(value: string): string {
  return `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

/**
 * The Ready search (with other statuses, the change feed). `updatedSince` becomes a relative date (`-Nm`): JQL date literals are read in
 * the Jira user's time zone, relative ones are not. One minute more than needed covers the rounding.
 */
export function readyJql(projects: readonly string[], statuses: string | readonly string[], updatedSince: Date | null, now: Date): string {
  const names = [...new Set(typeof statuses === 'string' ? [statuses] : statuses)];
  const status = names.length === 1 ? `status = ${quoteJql(names[0] ?? '')}` : `status in (${names.map(quoteJql).join(', ')})`;
  const clauses = [`project in (${projects.map(quoteJql).join(', ')})`, status];
  if (updatedSince !== null) clauses.push(`updated >= -${minutesSince(updatedSince, now)}m`);
  return `${clauses.join(' AND ')} ORDER BY updated ASC`;
}

export function minutesSince(since: Date, now: Date): number {
  const minutes = Math.ceil((now.getTime() - since.getTime()) / 60_000) + 1;
  return Math.max(1, minutes);
}

export function keysJql(keys: readonly string[]): string {
  return `key in (${keys.map(quoteJql).join(', ')})`;
}
