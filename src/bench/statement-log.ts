import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/**
 * The bench cluster's log_line_prefix: the database and the application_name of the session, so each
 * statement is counted for the scenario's database and told apart by process role. '|' occurs in neither.
 */
export const LOG_LINE_PREFIX = 'rt|%d|%a|';

/** Statements the server ran for one database: each is one round trip from the client. */
export interface RoundTrips {
  total: number;
  /** Sent by the state store (reads, and each write's BEGIN, fence check, statements and COMMIT). */
  state: number;
  /** Sent on the leader lease's own connection (acquire, renew, release). */
  lease: number;
  /** Sessions opened (each a connection handshake before its first statement). */
  sessions: number;
}

export const NO_ROUND_TRIPS: RoundTrips = { total: 0, state: 0, lease: 0, sessions: 0 };

const LINE = /^rt\|([^|]*)\|([^|]*)\|LOG: {2}(.*)$/;
/** log_statement = all logs a simple query as `statement:`, an extended-protocol one at Execute (one per Sync sent). */
const STATEMENT = /^(statement|execute(?: fetch from)? [^:]*): /;
const LEASE_APPLICATION = /^jira-airflow-reconciler lease pid /;

/**
 * Counts the statements and sessions of `database` in a stretch of server log. Lines of other databases,
 * continuation lines (they start with a tab) and DETAIL/ERROR/STATEMENT lines count nothing.
 */
export function countRoundTrips(text: string, database: string): RoundTrips {
  let state = 0;
  let lease = 0;
  let sessions = 0;
  for (const line of text.split('\n')) {
    const match = LINE.exec(line);
    if (!match || match[1] !== database) continue;
    const message = match[3] ?? '';
    if (message.startsWith('connection authorized:')) sessions++;
    else if (STATEMENT.test(message)) {
      if (LEASE_APPLICATION.test(match[2] ?? '')) lease++;
      else state++;
    }
  }
  return { total: state + lease, state, lease, sessions };
}

export function addRoundTrips(a: RoundTrips, b: RoundTrips): RoundTrips {
  return { total: a.total + b.total, state: a.state + b.state, lease: a.lease + b.lease, sessions: a.sessions + b.sessions };
}

export interface StatementLog {
  /** Where the log ends now: count a stretch from here. */
  mark(): number;
  /** The round trips of `database` logged since `from`. */
  since(from: number, database: string): RoundTrips;
}

/**
 * The server's log file, read from a mark to its end. A statement is logged before it runs, so once a
 * client has its answers (the pass process exited) its statements are all in the file.
 */
export function openStatementLog(path: string): StatementLog {
  const size = (): number => {
    const fd = openSync(path, 'r');
    try {
      return fstatSync(fd).size;
    } finally {
      closeSync(fd);
    }
  };
  return {
    mark: size,
    since(from, database) {
      const fd = openSync(path, 'r');
      try {
        const length = fstatSync(fd).size - from;
        const buffer = Buffer.alloc(Math.max(0, length));
        let read = 0;
        while (read < buffer.length) {
          const n = readSync(fd, buffer, read, buffer.length - read, from + read);
          if (n === 0) break;
          read += n;
        }
        return countRoundTrips(buffer.subarray(0, read).toString('utf8'), database);
      } finally {
        closeSync(fd);
      }
    },
  };
}
