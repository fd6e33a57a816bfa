import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { startAirflowSim, type AirflowSim, type AirflowSimOptions, type ApiVersion } from '../../src/sandbox/airflow/index.js';
import type { JiraDeployment } from '../../src/sandbox/jira/deployment.js';
import { startJiraSim, type JiraSim, type JiraSimOptions } from '../../src/sandbox/jira/server.js';
import type { PassSummary } from '../../src/reconcile/summary.js';
import { standIn } from '../support/stand-in.js';
import { ensureBuilt, runCli, type ChildEnv, type CliResult } from './cli.js';

/** A first run may have to build dist/ while other test files wait for that build. */
export const SETUP_TIMEOUT_MS = 150_000;
/** For tests that run several CLI passes on a loaded 2-core machine. */
export const SLOW_TEST_MS = 60_000;

/** How long a sim run stays queued, then running, on the sim clock. */
export const TIMING = { queuedMs: 10_000, runningMs: 60_000 } as const;

export interface WorldOptions {
  apiVersion?: ApiVersion;
  /** Jira Cloud (default: e-mail and API token) or Data Center (a personal access token, REST v2). */
  jiraDeployment?: JiraDeployment;
  searchLagMs?: number;
  jiraUsers?: JiraSimOptions['users'];
  /** The Airflow sim overwrites the first stop of a running run, as real Airflow can. */
  clobberFirstStop?: boolean;
  /** Projects the Jira simulator has; default SCR only. */
  jiraProjects?: string[];
  airflowUsers?: AirflowSimOptions['users'];
  /** The Jira simulator's mode ('bare': a new site) and whether its accounts are Jira admins. */
  jiraMode?: JiraSimOptions['mode'];
  jiraAdmin?: boolean;
  /** Overrides of the child's environment (e.g. other secrets); `undefined` removes a variable. */
  env?: Record<string, string | undefined>;
}

/** Both simulators on one sim clock the test drives, a temporary state file, and the CLI wired to them. */
export interface World {
  jira: JiraSim;
  airflow: AirflowSim;
  dir: string;
  db: string;
  now(): number;
  advance(ms: number): void;
  env(extra?: Record<string, string | undefined>): ChildEnv;
  cli(args: readonly string[], extra?: Record<string, string | undefined>): Promise<CliResult>;
  /** `reconcile --json [args]`, failing loudly when the pass did not complete. */
  pass(args?: readonly string[], extra?: Record<string, string | undefined>): Promise<PassSummary>;
  /** Writes a config file into the temp dir and returns its path. */
  configFile(name: string, text: string): string;
  close(): Promise<void>;
}

export async function startWorld(options: WorldOptions = {}): Promise<World> {
  await ensureBuilt();
  // The sims start at the real time and only move forward, so the child's own clock never sees them in the past.
  let simNow = Date.now();
  const now = (): number => simNow;
  const apiVersion = options.apiVersion ?? 'v1';
  const jiraDeployment = options.jiraDeployment ?? 'cloud';
  const jira = await startJiraSim({
    now,
    deployment: jiraDeployment,
    ...(options.searchLagMs === undefined ? {} : { searchLagMs: options.searchLagMs }),
    ...(options.jiraUsers ? { users: options.jiraUsers } : {}),
    ...(options.jiraProjects ? { projects: options.jiraProjects } : {}),
    ...(options.jiraMode ? { mode: options.jiraMode } : {}),
    ...(options.jiraAdmin === undefined ? {} : { admin: options.jiraAdmin }),
  });
  const airflow = await startAirflowSim({
    now,
    apiVersion,
    timing: TIMING,
    ...(options.airflowUsers ? { users: options.airflowUsers } : {}),
    ...(options.clobberFirstStop ? { clobberFirstStop: true } : {}),
  });
  const dir = mkdtempSync(join(tmpdir(), 'reconciler-it-'));
  const db = join(dir, 'r.db');

  function env(extra: Record<string, string | undefined> = {}): ChildEnv {
    const merged: Record<string, string | undefined> = {
      JIRA_BASE_URL: jira.url,
      ...jiraCredentials(jiraDeployment),
      JIRA_PROJECTS: 'SCR',
      AIRFLOW_BASE_URL: airflow.url,
      AIRFLOW_USER: 'admin',
      AIRFLOW_PASS: 'admin',
      AIRFLOW_API_VERSION: apiVersion,
      RECONCILER_DB: db,
      LOG_LEVEL: 'debug',
      ...options.env,
      ...extra,
    };
    return Object.fromEntries(Object.entries(merged).filter((entry): entry is [string, string] => entry[1] !== undefined));
  }

  async function pass(args: readonly string[] = [], extra: Record<string, string | undefined> = {}): Promise<PassSummary> {
    const result = await runCli(['reconcile', '--json', ...args], env(extra));
    if (result.code !== 0) {
      throw new Error(`reconcile ${args.join(' ')} exited ${result.code}\nstdout:\n${result.stdout}\nstderr:\n${tail(result.stderr)}`);
    }
    return result.json<PassSummary>();
  }

  return {
    jira,
    airflow,
    dir,
    db,
    now,
    advance: (ms) => {
      simNow += ms;
    },
    env,
    cli: (args, extra) => runCli(args, env(extra)),
    pass,
    configFile: (name, text) => {
      const path = join(dir, name);
      writeFileSync(path, text);
      return path;
    },
    close: async () => {
      await Promise.all([jira.close(), airflow.close()]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Starts a world before the describe block's tests and closes it after them. The answer stands for that
 * world: read it only inside tests and later hooks. `setup` runs once the world is up, within the same
 * (long) set-up timeout.
 */
export function useWorld(options: WorldOptions = {}, setup?: (world: World) => void | Promise<void>): World {
  let started: World | undefined;
  beforeAll(async () => {
    started = await startWorld(options);
    await setup?.(started);
  }, SETUP_TIMEOUT_MS);
  afterAll(async () => {
    await started?.close();
  });
  return standIn(() => {
    if (!started) throw new Error('the world is not up: use it inside a test or a hook that runs after useWorld\'s beforeAll');
    return started;
  });
}

/** The simulators' default bot: Basic e-mail and API token on Cloud, a personal access token on Data Center. */
function jiraCredentials(deployment: JiraDeployment): Record<string, string> {
  return deployment === 'cloud' ? { JIRA_USERNAME: 'bot@example.com', JIRA_API_TOKEN: 'sim-token' } : { JIRA_PAT: 'sim-pat' };
}

function tail(text: string): string {
  const lines = text.trimEnd().split('\n');
  return lines.slice(-40).join('\n');
}

/** Every Jira deployment with every Airflow API: the combinations the contract's promises are proven on. */
export const UPSTREAM_MATRIX: ReadonlyArray<{ jira: JiraDeployment; airflow: ApiVersion }> = [
  { jira: 'cloud', airflow: 'v1' },
  { jira: 'cloud', airflow: 'v2' },
  { jira: 'datacenter', airflow: 'v1' },
  { jira: 'datacenter', airflow: 'v2' },
];
