import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startAirflowSim } from '../../src/sandbox/airflow/index.js';
import { startJiraSim } from '../../src/sandbox/jira/server.js';
import { ensureBuilt, runCli } from './cli.js';
import { SETUP_TIMEOUT_MS } from './world.js';

describe.each(['cloud', 'datacenter'] as const)('doctor through the built CLI: the token\'s project permissions (Jira %s)', (deployment) => {
  it('prints one line per project, naming what is withheld and what an admin must grant', { timeout: SETUP_TIMEOUT_MS }, async () => {
    await ensureBuilt();
    const jira = await startJiraSim({ deployment, projects: ['SCR', 'OPS'], withheldPermissions: { OPS: ['EDIT_ISSUES', 'TRANSITION_ISSUES'] } });
    // A password that is no word of the output: doctor blanks every secret it prints.
    const airflow = await startAirflowSim({ users: [{ username: 'reconciler', password: 'airflow-pass-5e1c' }] });
    const dir = mkdtempSync(join(tmpdir(), 'doctor-permissions-'));
    try {
      const credentials = deployment === 'cloud' ? { JIRA_USERNAME: 'bot@example.com', JIRA_API_TOKEN: 'sim-token' } : { JIRA_PAT: 'sim-pat' };
      const env = { JIRA_BASE_URL: jira.url, JIRA_PROJECTS: 'SCR,OPS', AIRFLOW_BASE_URL: airflow.url, AIRFLOW_USER: 'reconciler', AIRFLOW_PASS: 'airflow-pass-5e1c', RECONCILER_DB: join(dir, 'r.db'), ...credentials };

      const result = await runCli(['doctor'], env);

      expect(result.code).toBe(1);
      const lines = result.stdout.split('\n');
      const scr = lines.find((line) => /^PASS {2}jira permissions SCR /.test(line));
      expect(scr, result.stdout).toContain('has Browse Projects, Edit Issues, Transition Issues, Add Comments');
      const at = lines.findIndex((line) => /^FAIL {2}jira permissions OPS /.test(line));
      expect(at, result.stdout).toBeGreaterThan(-1);
      expect(lines[at]).toContain('lacks Edit Issues, Transition Issues in OPS');
      expect(lines[at + 1]).toContain('fix: a Jira admin must grant');
      expect(lines[at + 1]).toContain('Edit Issues, Transition Issues in project OPS');
    } finally {
      await jira.close();
      await airflow.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
