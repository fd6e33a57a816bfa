import { databaseAddress, describeDatabaseUrl } from './database-url.js';

/** The state database cannot be used right now (unreachable, refused us, gone mid-query): worth waiting out. */
export class StateDatabaseUnavailableError extends Error {
  override readonly name = 'StateDatabaseUnavailableError';
}

/** The state database refused who we are or what we asked for: a person must fix the URL or grants. */
export class StateDatabaseAccessError extends Error {
  override readonly name = 'StateDatabaseAccessError';
}

const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'EPIPE']);
// Class 08 (connection exception), 57P01-57P03 (admin shutdown, crash shutdown, cannot connect now).
const UNAVAILABLE_SQLSTATES = /^(08|57P0[123])/;

/**
 * Turns a driver error into one a person can act on, naming the database (password redacted) and
 * what to check. Errors about the data itself (a constraint, a bad value) come back unchanged.
 */
export function translatePgError(error: unknown, url: string): unknown {
  if (!(error instanceof Error) || error instanceof StateDatabaseUnavailableError || error instanceof StateDatabaseAccessError) {
    return error;
  }
  const where = describeDatabaseUrl(url);
  const code = (error as { code?: unknown }).code;
  const message = scrub(error.message, url);
  if (typeof code === 'string' && UNREACHABLE_CODES.has(code)) {
    return new StateDatabaseUnavailableError(
      `Cannot reach the PostgreSQL state database at ${databaseAddress(url)} (${code}): check that the server runs and ` +
        `listens there, that no firewall is in the way, and the host and port in RECONCILER_DATABASE_URL (${where}).`,
      { cause: error },
    );
  }
  if (code === '28P01' || code === '28000') {
    return new StateDatabaseAccessError(
      `The PostgreSQL state database ${where} refused the sign-in (${message}): check the user and password in ` +
        'RECONCILER_DATABASE_URL (the password is never printed) and that pg_hba.conf lets this host in.',
      { cause: error },
    );
  }
  if (code === '3D000') {
    return new StateDatabaseAccessError(
      `The PostgreSQL state database ${where} does not exist (${message}): create it (CREATE DATABASE, owned by the ` +
        "reconciler's user) or fix the database name in RECONCILER_DATABASE_URL.",
      { cause: error },
    );
  }
  if (code === '42501') {
    return new StateDatabaseAccessError(
      `The PostgreSQL state database ${where} refused an operation (${message}): the user in RECONCILER_DATABASE_URL ` +
        'needs to own the database, or at least to create tables in its schema.',
      { cause: error },
    );
  }
  if ((typeof code === 'string' && UNAVAILABLE_SQLSTATES.test(code)) || isLostConnection(message)) {
    return new StateDatabaseUnavailableError(
      `The PostgreSQL state database ${where} is unavailable (${message}); it is retried once it is back.`,
      { cause: error },
    );
  }
  if (/self[- ]signed|certificate|SSL|TLS/i.test(message) && !code) {
    return new StateDatabaseAccessError(
      `Cannot open a TLS connection to the PostgreSQL state database ${where} (${message}): check sslmode and ` +
        'sslrootcert (the CA file) in RECONCILER_DATABASE_URL.',
      { cause: error },
    );
  }
  return error;
}

function isLostConnection(message: string): boolean {
  return /Connection terminated|terminating connection|timeout expired|Client has encountered a connection error|Connection ended/i.test(message);
}

/** A driver message never holds the password today; this keeps it so. */
function scrub(message: string, url: string): string {
  try {
    const password = decodeURIComponent(new URL(url).password);
    return password.length > 0 ? message.replaceAll(password, '***') : message;
  } catch {
    return message;
  }
}
