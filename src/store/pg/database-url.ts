/**
 * A PostgreSQL URL fit for messages and logs: the password replaced by `***`. Never throws, so an
 * error path can always name the database it failed on.
 */
export function describeDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    for (const key of [...parsed.searchParams.keys()]) {
      if (key.toLowerCase() === 'password') parsed.searchParams.set(key, '***');
    }
    return parsed.toString();
  } catch {
    return 'postgres://… (an unparsable URL, not shown)';
  }
}

/** `host:port` of the URL, for "cannot reach" messages. */
export function databaseAddress(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname || 'localhost'}:${parsed.port || '5432'}`;
  } catch {
    return 'the host in RECONCILER_DATABASE_URL';
  }
}
