import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type Runtime } from '../app.js';
import { readConfig } from '../config/read-config.js';
import { runDaemon } from '../daemon/daemon.js';
import { startAirflowSim } from '../sandbox/airflow/index.js';
import { changedLines, FINAL_STATUSES, progressBar, viewTickets, type TicketView } from '../sandbox/demo/progress.js';
import { countOf } from '../words.js';
import { readableNotification } from '../sandbox/demo/readable.js';
import { startReceiver } from '../sandbox/demo/receiver.js';
import { seedDemo } from '../sandbox/demo/seed.js';
import type { JiraDeployment } from '../sandbox/jira/deployment.js';
import { SIM_JIRA_PAT, startJiraSim } from '../sandbox/jira/server.js';
import { simEnv } from '../sandbox/sim-env.js';
import { prepareBareJira } from './demo-bare.js';
import { renderTable } from './table.js';
import { demoSpec } from './specs.js';
import { parseCommand, UsageError } from './usage.js';

const TICK_MS = 250;

/** Automatic retries for a passing failure, and notifications to a local receiver the demo starts. */
const DEMO_CONFIG = {
  retry: { attempts: 2, delaySeconds: 2, when: ['try again'] },
  notifications: { slack: { on: ['success', 'failed', 'invalid', 'retry'] } },
};

export async function demoCommand(argv: readonly string[], runtime: Runtime): Promise<number> {
  const { values } = parseCommand(demoSpec, argv);
  const timeoutSeconds = values.timeout === undefined ? 90 : Number(values.timeout);
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) throw new UsageError(`--timeout ${values.timeout} is not a positive number of seconds`);
  const apiVersion = values.airflow ?? 'v1';
  if (apiVersion !== 'v1' && apiVersion !== 'v2') throw new UsageError(`--airflow ${apiVersion}: use v1 (Airflow 2) or v2 (Airflow 3)`);
  const deployment = values.jira ?? 'cloud';
  if (deployment !== 'cloud' && deployment !== 'datacenter') throw new UsageError(`--jira ${deployment}: use cloud (Jira Cloud) or datacenter (Jira Data Center)`);

  const out = runtime.stdout;
  const tty = out.isTTY === true;
  const dir = mkdtempSync(join(tmpdir(), 'reconciler-demo-'));
  const jira = await startJiraSim({ deployment, ...(values.bare === true ? { mode: 'bare' as const } : {}) });
  const airflow = await startAirflowSim({ apiVersion, timing: { queuedMs: 1_000, runningMs: 3_000 } });
  const out0 = runtime.stdout;
  // Printed as a person reads it in Slack, not as the mrkdwn the webhook gets.
  const receiver = await startReceiver((text) => out0.write(`${out0.isTTY === true ? '\r\u001b[K' : ''}  notification (local webhook): ${readableNotification(text)}\n`));
  try {
    const env = demoEnv(deployment, simEnv(jira.url, airflow.url, {
      AIRFLOW_API_VERSION: apiVersion,
      RECONCILER_DB: join(dir, 'reconciler.db'),
      RECONCILE_INTERVAL_SECONDS: '1',
      METRICS_PORT: '0',
      LOG_LEVEL: runtime.env.LOG_LEVEL ?? 'warn',
      SLACK_WEBHOOK_URL: receiver.url,
    }));
    const fieldIds = values.bare === true ? await prepareBareJira(jira, env, dir, runtime) : {};
    if (fieldIds === null) return 1;
    const tickets = seedDemo(jira, airflow);
    out.write(`Simulated Jira ${deployment === 'cloud' ? 'Cloud' : 'Data Center'} at ${jira.url}, simulated Airflow ${apiVersion === 'v1' ? '2' : '3'} at ${airflow.url}\n`);
    out.write(`Seeded ${tickets.length} tickets in Ready to Run; the daemon polls every second.\n\n`);
    const config = readConfig(env, { path: join(dir, 'demo-config.json'), text: JSON.stringify({ ...DEMO_CONFIG, ...(values.bare === true ? { jira: { fields: fieldIds } } : {}) }) });
    const app = await createApp(config, runtime, { command: 'demo', logTo: 'stderr' });
    const signals = new EventEmitter();
    let metricsUrl = '';
    const daemon = runDaemon(app, { clock: runtime.clock, signals, onListening: (url) => (metricsUrl = url) });

    const started = runtime.clock.now().getTime();
    const seen = new Map<string, string>();
    let views: TicketView[] = viewTickets(jira, tickets);
    for (;;) {
      const elapsed = runtime.clock.now().getTime() - started;
      views = viewTickets(jira, tickets);
      if (tty) out.write(`\r${progressBar(views, elapsed)}`);
      else for (const line of changedLines(seen, views, elapsed)) out.write(`${line}\n`);
      if (views.every((v) => FINAL_STATUSES.has(v.status)) || elapsed > timeoutSeconds * 1000) break;
      await runtime.clock.sleep(TICK_MS);
    }
    if (tty) out.write('\n');
    signals.emit('SIGTERM');
    const code = await daemon;
    out.write(`\n${outcomeTable(views, jira.url, (dagRunId, source) => app.pass.airflow.uiUrl(`scraper_${source}`, dagRunId))}`);
    const unfinished = views.filter((v) => !FINAL_STATUSES.has(v.status));
    if (unfinished.length > 0) {
      out.write(`\n${countOf(unfinished.length, 'ticket')} did not finish within ${timeoutSeconds}s: ${unfinished.map((v) => v.key).join(', ')}\n`);
      return 1;
    }
    out.write(`\n${countOf(receiver.messages.length, 'notification')} reached the local webhook receiver.`);
    out.write(`\nAll ${views.length} tickets finished. Metrics were served at ${metricsUrl}/metrics while the demo ran.\n`);
    out.write('Next: configure JIRA_* and AIRFLOW_* for your sites and run `jira-airflow-reconciler doctor`.\n');
    return code;
  } finally {
    await Promise.all([jira.close(), airflow.close(), receiver.close()]);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Data Center signs in with a personal access token, as an operator of one would configure it. */
function demoEnv(deployment: JiraDeployment, env: Record<string, string>): Record<string, string> {
  if (deployment === 'cloud') return env;
  const { JIRA_USERNAME: _user, JIRA_API_TOKEN: _token, ...rest } = env;
  return { ...rest, JIRA_PAT: SIM_JIRA_PAT };
}

function outcomeTable(views: readonly TicketView[], jiraUrl: string, runUrl: (dagRunId: string, source: string) => string): string {
  return renderTable(
    ['TICKET', 'SOURCE', 'REQUEST', 'STATUS', 'RUN STATUS', 'PLATFORM RUN', 'COMMENTS', 'LINK'],
    views.map((v) => [
      v.key,
      v.source,
      v.story,
      v.status,
      v.runStatus,
      v.platformRunId,
      String(v.comments),
      v.dagRunId === '-' ? `${jiraUrl}/browse/${v.key}` : runUrl(v.dagRunId, v.source),
    ]),
  );
}
