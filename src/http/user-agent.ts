import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

let cached: string | null = null;

/** The package's version, from its package.json (two levels above src/ and dist/ alike). */
export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
  return pkg.version ?? 'unknown';
}

/**
 * `jira-airflow-reconciler/<version> (<host>; pid <pid>)` on every request: an upstream's admin can tell
 * which replica sent what (Atlassian asks apps to identify themselves), and so can the failover tests.
 */
export function userAgent(): string {
  cached ??= `jira-airflow-reconciler/${packageVersion()} (${hostname()}; pid ${process.pid})`;
  return cached;
}
