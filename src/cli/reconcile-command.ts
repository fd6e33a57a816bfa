import { createApp, type Runtime } from '../app.js';
import { loadConfig } from '../config/load-config.js';
import { PassError, runPass } from '../reconcile/pass.js';
import type { PassSummary } from '../reconcile/summary.js';
import { formatSummary } from './format-summary.js';
import { parseCommand, UsageError, type CommandSpec } from './usage.js';

const ISSUE_KEY = /^[A-Z][A-Z0-9_]+-\d+$/;

export const reconcileSpec = {
  name: 'reconcile',
  summary:
    'Runs one reconcile pass, then exits: picks up Ready to Run tickets, triggers their DAG runs, tracks runs in flight and writes outcomes back to Jira.\nExit 0 when the pass completed (tickets rejected for bad input included), 1 when it could not, 2 for a usage error.',
  usage: 'reconcile [--dry-run] [--issue KEY]... [--json] [--full]',
  options: {
    'dry-run': { type: 'boolean' },
    issue: { type: 'string', multiple: true },
    json: { type: 'boolean' },
    full: { type: 'boolean' },
  },
  help: [
    '      --dry-run       plan and print the actions; write nothing to Jira, Airflow or the state store',
    '      --issue KEY     limit the pass to this ticket (repeatable)',
    '      --json          print the pass summary as one JSON object on stdout',
    '      --full          search every Ready to Run ticket, ignoring the search cursor',
  ],
} satisfies CommandSpec;

export async function reconcileCommand(argv: readonly string[], runtime: Runtime): Promise<number> {
  const { values } = parseCommand(reconcileSpec, argv);
  const issueKeys = values.issue?.map((key) => key.trim().toUpperCase());
  for (const key of issueKeys ?? []) {
    if (!ISSUE_KEY.test(key)) throw new UsageError(`--issue ${key} is not a Jira issue key such as SCR-12`);
  }
  const dryRun = values['dry-run'] ?? false;
  const config = loadConfig(runtime.env, values.config);
  const app = await createApp(config, runtime, { command: 'reconcile', logTo: 'stderr', readOnlyStore: dryRun });
  try {
    const summary = await runPass(app.pass, {
      dryRun,
      ...(issueKeys ? { issueKeys } : {}),
      ...(values.full ? { fullSweep: true } : {}),
    });
    print(summary, values.json ?? false, runtime);
    return 0;
  } catch (error) {
    if (!(error instanceof PassError)) throw error;
    if (error.summary) print(error.summary, values.json ?? false, runtime);
    else if (values.json) runtime.stdout.write(`${JSON.stringify({ error: error.message })}\n`);
    runtime.stderr.write(`reconcile: the pass did not complete: ${error.message}\n`);
    return 1;
  } finally {
    app.close();
  }
}

function print(summary: PassSummary, json: boolean, runtime: Runtime): void {
  runtime.stdout.write(json ? `${JSON.stringify(summary)}\n` : formatSummary(summary));
}
