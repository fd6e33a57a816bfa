import { readFileSync } from 'node:fs';
import type { Runtime } from '../app.js';
import { ConfigError } from '../config/config-error.js';
import { databaseUrlProblems } from '../config/database-url.js';
import { readOneSecret } from '../config/secrets.js';
import { copySqliteToPg } from '../store/pg/copy-from-sqlite.js';
import { stateCopySpec } from './specs.js';
import { parseCommand, UsageError } from './usage.js';

/** `state copy`: one host's SQLite state into the PostgreSQL database several hosts will share. */
export async function stateCopyCommand(argv: readonly string[], runtime: Runtime): Promise<number> {
  const { values } = parseCommand(stateCopySpec, argv);
  if (values.from === undefined || values.from === '') {
    throw new UsageError("--from FILE is required: the SQLite state file to copy.\nRun 'jira-airflow-reconciler state copy --help' for usage.");
  }
  const to = targetUrl(values.to, runtime.env);
  const copied = await copySqliteToPg(values.from, to, { force: values.force === true });
  const replaced = copied.replaced > 0 ? `, replacing the ${copied.replaced} run record(s) it held` : '';
  runtime.stdout.write(
    `Copied ${copied.runs} run record(s), ${copied.outbox} notification(s) and the search cursor (pass ${copied.passCount}) ` +
      `from ${values.from} to ${copied.to}${replaced}.\n`,
  );
  return 0;
}

/** --to, else RECONCILER_DATABASE_URL read like every secret; checked without echoing it. */
function targetUrl(given: string | undefined, env: NodeJS.ProcessEnv): string {
  const readFile = (file: string): string => readFileSync(file, 'utf8');
  if (given !== undefined && given !== '') {
    const problems = databaseUrlProblems(given, readFile, '--to');
    if (problems.length > 0) throw new ConfigError(problems, null);
    return given;
  }
  const { value, problems } = readOneSecret('RECONCILER_DATABASE_URL', env, readFile);
  problems.push(...databaseUrlProblems(value, readFile));
  if (problems.length > 0) throw new ConfigError(problems, null);
  if (value === undefined) {
    throw new UsageError(
      "--to URL is required when RECONCILER_DATABASE_URL is not set: the PostgreSQL database to copy into.\nRun 'jira-airflow-reconciler state copy --help' for usage.",
    );
  }
  return value;
}
