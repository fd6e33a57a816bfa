import type { ReadFile } from './secrets.js';

const VARIABLE = 'RECONCILER_DATABASE_URL';
const FORM = 'give postgres://user:password@host:5432/database (add ?sslmode=verify-full&sslrootcert=/path/to/ca.pem for TLS)';
// As node-postgres reads them; it treats prefer, require and verify-ca like verify-full (see README).
const SSL_MODES = ['disable', 'prefer', 'require', 'verify-ca', 'verify-full', 'no-verify'];
const FILE_PARAMETERS = ['sslrootcert', 'sslcert', 'sslkey'];

/**
 * What is wrong with the state database URL, if anything. Messages name the variable and the part
 * that is wrong, never the URL itself (it holds the password).
 */
export function databaseUrlProblems(value: string | undefined, readFile: ReadFile | undefined, name = VARIABLE): string[] {
  if (value === undefined) return [];
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return [`${name}: not an absolute URL (not shown: it may hold a password); ${FORM}`];
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    return [`${name}: uses ${url.protocol}, which is not a PostgreSQL URL; ${FORM}`];
  }
  const problems: string[] = [];
  if (url.hostname === '' && !url.searchParams.has('host')) problems.push(`${name}: names no host; ${FORM}`);
  if (url.pathname.length <= 1) problems.push(`${name}: names no database (the path after the host); ${FORM}`);
  const sslmode = url.searchParams.get('sslmode');
  if (sslmode !== null && !SSL_MODES.includes(sslmode)) {
    problems.push(`${name}: sslmode=${sslmode} is not one of ${SSL_MODES.join(', ')}`);
  }
  for (const parameter of FILE_PARAMETERS) {
    const path = url.searchParams.get(parameter);
    if (path === null) continue;
    problems.push(...fileProblems(name, parameter, path, readFile));
  }
  return problems;
}

function fileProblems(name: string, parameter: string, path: string, readFile: ReadFile | undefined): string[] {
  if (readFile === undefined) return [];
  try {
    if (readFile(path).trim() === '') return [`${name}: ${parameter} file ${JSON.stringify(path)} is empty; give the PEM file`];
    return [];
  } catch (error) {
    const code = (error as NodeJS.ErrnoException | undefined)?.code ?? 'unreadable';
    return [`${name}: cannot read the ${parameter} file ${JSON.stringify(path)} (${code}); check the path and that this user may read it`];
  }
}
