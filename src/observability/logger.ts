import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';

export type { Logger } from 'pino';

const REDACTED = '[REDACTED]';

/** Paths pino blanks wherever they appear in a log object. */
const REDACT_PATHS = [
  'authorization',
  'Authorization',
  '*.authorization',
  '*.Authorization',
  '*.headers.authorization',
  '*.headers.Authorization',
  '*.*.headers.authorization',
  '*.*.headers.Authorization',
  'password',
  '*.password',
  'token',
  '*.token',
  'apiToken',
  '*.apiToken',
  'secrets',
  '*.secrets',
  'config.headers',
  '*.config.headers',
  'access_token',
  '*.access_token',
];

export interface LoggerOptions {
  level: string;
  /** Human-readable output (a TTY); JSON lines otherwise. */
  pretty?: boolean;
  /** Known secret values, replaced wherever they appear in any string. */
  secrets?: readonly string[];
  destination?: NodeJS.WritableStream;
}

/** One logger per process, built in the composition root: redaction is configured here, once. */
export function createLogger(options: LoggerOptions): Logger {
  const scrub = scrubber(options.secrets ?? []);
  const stream = options.pretty
    ? pretty({ colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname', destination: options.destination ?? process.stdout, sync: true })
    : (options.destination ?? process.stdout);
  return pino(
    {
      level: options.level,
      base: { pid: process.pid },
      redact: { paths: REDACT_PATHS, censor: REDACTED },
      serializers: { err: serializeError, error: serializeError },
      formatters: { log: (object) => scrub(object) as Record<string, unknown> },
      hooks: {
        logMethod(args, method) {
          method.apply(
            this,
            args.map((arg) => (typeof arg === 'string' ? (scrub(arg) as string) : arg)) as Parameters<typeof method>,
          );
        },
      },
    },
    stream,
  );
}

/**
 * Errors are logged by name, message, kind and status only: axios and jira.js errors carry the request
 * config, headers included, so their own properties never reach a log line.
 */
export function serializeError(error: unknown): Record<string, unknown> {
  // The scrubbing formatter may already have turned the error into its plain form.
  if (!(error instanceof Error)) return typeof error === 'object' && error !== null ? (error as Record<string, unknown>) : { message: String(error) };
  const out: Record<string, unknown> = { type: error.name, message: stripUrlCredentials(error.message) };
  const extra = error as Error & { kind?: unknown; status?: unknown; upstream?: unknown; code?: unknown };
  for (const key of ['kind', 'status', 'upstream', 'code'] as const) {
    const value = extra[key];
    if (typeof value === 'string' || typeof value === 'number') out[key] = value;
  }
  if (error.cause instanceof Error) out.cause = stripUrlCredentials(error.cause.message);
  return out;
}

function scrubber(secrets: readonly string[]): (value: unknown) => unknown {
  const needles = secrets.filter((s) => s.length >= 4);
  const clean = (text: string): string => {
    let out = stripUrlCredentials(text);
    for (const secret of needles) out = out.split(secret).join(REDACTED);
    if (needles.length > 0) {
      for (const secret of needles) out = out.split(Buffer.from(secret).toString('base64')).join(REDACTED);
    }
    return out;
  };
  const walk = (value: unknown, depth: number): unknown => {
    if (typeof value === 'string') return clean(value);
    if (depth > 6 || typeof value !== 'object' || value === null) return value;
    if (value instanceof Error) return walk(serializeError(value), depth + 1);
    if (Array.isArray(value)) return value.map((item) => walk(item, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = walk(item, depth + 1);
    return out;
  };
  return (value) => walk(value, 0);
}

/** `https://user:secret@host` → `https://[REDACTED]@host`. */
export function stripUrlCredentials(text: string): string {
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^/\s:@]+(?::[^/\s@]*)?@/gi, `$1${REDACTED}@`);
}

export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
