import { createApp, type Runtime } from '../app.js';
import { loadConfig } from '../config/load-config.js';
import { UpstreamError } from '../http/errors.js';
import { PassError, runPass } from '../reconcile/pass.js';
import { ONE_SHOT_SET_ASIDE_AFTER_MS, WorkQueue } from '../reconcile/queue.js';
import type { PassSummary } from '../reconcile/summary.js';
import { formatSummary } from './format-summary.js';
import { reconcileSpec } from './specs.js';
import { parseCommand, UsageError } from './usage.js';

const ISSUE_KEY = /^[A-Z][A-Z0-9_]+-\d+$/;

export async function reconcileCommand(argv: readonly string[], runtime: Runtime): Promise<number> {
  const { values } = parseCommand(reconcileSpec, argv);
  const issueKeys = values.issue?.map((key) => key.trim().toUpperCase());
  for (const key of issueKeys ?? []) {
    if (!ISSUE_KEY.test(key)) throw new UsageError(`--issue ${key} is not a Jira issue key such as SCR-12`);
  }
  const dryRun = values['dry-run'] ?? false;
  const config = loadConfig(runtime.env, values.config);
  const app = await createApp(config, runtime, { command: 'reconcile', logTo: 'stderr', readOnlyStore: dryRun });
  // Every item gathered is worked until it is done or must wait longer than a backoff can last; those are set aside and named.
  const queue = new WorkQueue(runtime.clock, app.log, { concurrency: config.http.concurrency, setAsideAfterMs: ONE_SHOT_SET_ASIDE_AFTER_MS });
  try {
    const summary = await runPass({ ...app.pass, queue }, {
      dryRun,
      ...(issueKeys ? { issueKeys } : {}),
      ...(values.full ? { fullSweep: true } : {}),
    });
    print(summary, values.json ?? false, runtime);
    if (summary.airflowDown.length > 0) {
      // The others were worked; this environment's tickets could not be, so the pass is not complete.
      const names = summary.airflowDown.map((d) => `${d.instance} (${d.error})`).join('; ');
      runtime.stderr.write(`reconcile: an environment's Airflow was unreachable, its tickets wait: ${names}\n  fix: check environments.<env>.airflowBaseUrl and its AIRFLOW_<ENV>_* credentials ('jira-airflow-reconciler doctor' checks them).\n`);
      return 1;
    }
    return 0;
  } catch (error) {
    if (!(error instanceof PassError)) throw error;
    if (error.summary) print(error.summary, values.json ?? false, runtime);
    else if (values.json) runtime.stdout.write(`${JSON.stringify({ error: error.message })}\n`);
    runtime.stderr.write(`reconcile: the pass did not complete: ${error.message}\n${hintFor(error.cause)}`);
    return 1;
  } finally {
    // A set-aside ticket's wait is dropped and nothing more is sent for it: the next pass or start works it.
    app.stopWork();
    await queue.idle();
    // A send under way ends before the store closes, so a message the far side took is recorded as sent.
    await app.drainer?.stop();
    await app.close();
  }
}

/** What to do about an upstream that stopped the pass. */
function hintFor(cause: unknown): string {
  if (!(cause instanceof UpstreamError)) return '';
  const url = cause.upstream === 'jira' ? 'JIRA_BASE_URL' : 'AIRFLOW_BASE_URL';
  const credentials = cause.upstream === 'jira' ? 'JIRA_USERNAME and JIRA_API_TOKEN (or JIRA_PAT)' : 'AIRFLOW_TOKEN or AIRFLOW_USER and AIRFLOW_PASS';
  if (cause.kind === 'auth') return `  fix: check ${credentials}; 'jira-airflow-reconciler doctor' shows what ${cause.upstream} accepts.\n`;
  if (cause.retryable) return `  fix: check that ${url} is right and reachable from here ('jira-airflow-reconciler doctor' checks it), then run again.\n`;
  return '';
}

function print(summary: PassSummary, json: boolean, runtime: Runtime): void {
  runtime.stdout.write(json ? `${JSON.stringify(summary)}\n` : formatSummary(summary));
}
