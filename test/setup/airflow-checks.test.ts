import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { setupAirflowCommand } from '../../src/cli/setup-airflow-command.js';
import { startAirflowSim, type AirflowSim } from '../../src/sandbox/airflow/index.js';
import { testRuntime } from '../cli/runtime.js';

const sims: AirflowSim[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const sim of sims.splice(0)) await sim.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const PROD = { username: 'prod-bot', password: 'prod-pass-8c1e' };

describe("setup airflow with an environment's own Airflow", () => {
  it('checks the DAGs on each Airflow, naming the environment and its own settings in the lines', async () => {
    const main = await startAirflowSim({ users: [{ username: 'bot', password: 'main-pass-2f9a' }] });
    const prod = await startAirflowSim({ apiVersion: 'v2', users: [PROD], dags: [{ dagId: 'scraper_alfabeta' }, { dagId: 'scraper_quebec', isPaused: true }] });
    sims.push(main, prod);
    const dir = mkdtempSync(join(tmpdir(), 'setup-airflow-'));
    dirs.push(dir);
    const config = join(dir, 'config.yaml');
    writeFileSync(config, `environments:\n  dev: {}\n  prod:\n    airflowBaseUrl: ${prod.url}\n    airflowApiVersion: v2\n`);
    const runtime = testRuntime({
      JIRA_BASE_URL: 'https://jira.example.com',
      JIRA_PROJECTS: 'SCR',
      JIRA_USERNAME: 'bot@example.com',
      JIRA_API_TOKEN: 'jira-token-0b7d',
      AIRFLOW_BASE_URL: main.url,
      AIRFLOW_USER: 'bot',
      AIRFLOW_PASS: 'main-pass-2f9a',
      AIRFLOW_PROD_USER: PROD.username,
      AIRFLOW_PROD_PASS: PROD.password,
      RECONCILER_CONFIG: config,
      LOG_LEVEL: 'silent',
    });

    const code = await setupAirflowCommand([], runtime);

    expect(code).toBe(1);
    const out = runtime.out();
    expect(out).toMatch(/^PASS {2}airflow dag scraper_lafa conf {2,}declares no params/m);
    expect(out).toMatch(/^PASS {2}airflow api \(prod\) {2,}Airflow 3\.2\.1 at /m);
    expect(out).toMatch(/^FAIL {2}airflow dag scraper_quebec \(prod\) {2,}scraper_quebec is paused/m);
    expect(out).toMatch(/^FAIL {2}airflow dag scraper_lafa \(prod\) {2,}no DAG scraper_lafa/m);
    expect(out).toContain("fix: first make 'airflow dag scraper_lafa (prod)' pass, then run setup airflow again");
    expect(out).toContain('3 of 14 checks failed (1 of them skipped after an earlier failure).');
    expect(prod.log.entries.filter((entry) => entry.method !== 'GET').map((entry) => entry.path)).toEqual(['/auth/token']);
  });
});
