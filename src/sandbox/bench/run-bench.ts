import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createApp } from '../../app.js';
import { systemClock } from '../../clock.js';
import { readConfig } from '../../config/read-config.js';
import { runPass } from '../../reconcile/pass.js';
import { startAirflowSim } from '../airflow/index.js';
import { startJiraSim } from '../jira/server.js';
import { simEnv } from '../sim-env.js';

/**
 * The benchmark (not a test): how fast the simulators answer, and what a pass costs at scale.
 * `npm run bench [-- --tickets N]`. Prints one JSON object with the figures.
 */
async function main(): Promise<void> {
  const tickets = Number(process.argv.find((arg, i, all) => all[i - 1] === '--tickets') ?? 300);
  const results: Record<string, unknown> = { tickets };

  let t0 = performance.now();
  const jira = await startJiraSim();
  results.jiraSimStartMs = round(performance.now() - t0);
  t0 = performance.now();
  let simNow = Date.now();
  const airflow = await startAirflowSim({ now: () => simNow, timing: { queuedMs: 1_000, runningMs: 1_000 } });
  results.airflowSimStartMs = round(performance.now() - t0);

  results.jiraSearchesPerSecond = await throughput(`${jira.url}/rest/api/3/search/jql?jql=${encodeURIComponent('project = SCR')}`, {
    authorization: `Basic ${Buffer.from('bot@example.com:sim-token').toString('base64')}`,
  });
  results.airflowGetsPerSecond = await throughput(`${airflow.url}/api/v1/dags/scraper_alfabeta`, {
    authorization: `Basic ${Buffer.from('admin:admin').toString('base64')}`,
  });

  const sources = ['alfabeta', 'quebec', 'lafa'] as const;
  for (let i = 0; i < tickets; i++) {
    const { key } = jira.createIssue({ source: sources[i % 3] ?? 'lafa', runType: 'DELTA', environment: 'prod', params: { limit: i } });
    jira.moveIssue(key, 'Ready to Run');
  }
  const dir = mkdtempSync(join(tmpdir(), 'reconciler-bench-'));
  const config = readConfig(simEnv(jira.url, airflow.url, { RECONCILER_DB: join(dir, 'r.db'), LOG_LEVEL: 'error' }), null);
  const app = await createApp(config, { env: {}, stdout: process.stdout, stderr: process.stderr, clock: systemClock }, { command: 'bench', logTo: 'stderr' });
  const passes: Array<{ ms: number; jiraRequests: number; airflowRequests: number; triggered: number; finished: number }> = [];
  try {
    for (let pass = 0; pass < 6; pass++) {
      const jiraBefore = jira.log.entries.length;
      const airflowBefore = airflow.log.entries.length;
      const started = performance.now();
      const summary = await runPass(app.pass);
      passes.push({
        ms: round(performance.now() - started),
        jiraRequests: jira.log.entries.length - jiraBefore,
        airflowRequests: airflow.log.entries.length - airflowBefore,
        triggered: summary.triggered,
        finished: summary.finished,
      });
      simNow += 1_500;
    }
  } finally {
    app.close();
    rmSync(dir, { recursive: true, force: true });
    await Promise.all([jira.close(), airflow.close()]);
  }
  results.passes = passes;
  results.completed = passes.reduce((sum, p) => sum + p.finished, 0);
  results.rssMiB = round(process.memoryUsage().rss / 2 ** 20);
  process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
}

async function throughput(url: string, headers: Record<string, string>, total = 2_000, concurrency = 32): Promise<number> {
  let next = 0;
  let ok = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        next++;
        const res = await fetch(url, { headers });
        await res.arrayBuffer();
        if (res.ok) ok++;
      }
    }),
  );
  if (ok !== total) throw new Error(`only ${ok} of ${total} requests succeeded`);
  return Math.round(total / ((performance.now() - started) / 1000));
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

await main();
