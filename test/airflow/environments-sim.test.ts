import { afterEach, describe, expect, it } from 'vitest';
import { createAirflowGateways } from '../../src/airflow/environments.js';
import type { RunConf } from '../../src/airflow/gateway.js';
import { completeConfig } from '../../src/config/read-config.js';
import { FileConfig } from '../../src/config/schema.js';
import { startAirflowSim, type AirflowSim } from '../../src/sandbox/airflow/index.js';
import { fakeClock } from '../support/fake-clock.js';
import { captureLog } from '../support/log-capture.js';
import { NOW } from './helpers.js';

const started: AirflowSim[] = [];

async function sim(options: Parameters<typeof startAirflowSim>[0]): Promise<AirflowSim> {
  const server = await startAirflowSim(options);
  started.push(server);
  return server;
}

afterEach(async () => {
  for (const server of started.splice(0)) await server.close();
});

function conf(key: string, environment: string): RunConf {
  return { jira_issue_key: key, source: 'lafa', run_type: 'DELTA', params: {}, environment };
}

/** Two simulated Airflows, one an Airflow 2 behind a token, one an Airflow 3 behind a user and password. */
describe('environments on their own simulated Airflow', () => {
  it('triggers, polls and stops each run on its own instance only', async () => {
    let simNow = NOW.getTime();
    const now = (): number => simNow;
    const staging = await sim({ apiVersion: 'v1', tokens: ['staging-token'], users: [], now });
    const prod = await sim({ apiVersion: 'v2', users: [{ username: 'prod-bot', password: 'prod-secret' }], now });
    const file = FileConfig.parse({
      jira: { baseUrl: 'https://jira.example.com', projects: ['SCR'] },
      // The default Airflow is never asked here: nothing listens on this port.
      airflow: { baseUrl: 'http://127.0.0.1:9' },
      environments: { staging: { airflowBaseUrl: staging.url }, prod: { airflowBaseUrl: prod.url, airflowApiVersion: 'v2' } },
    });
    const config = completeConfig(file, { airflowByEnv: { staging: { token: 'staging-token' }, prod: { user: 'prod-bot', pass: 'prod-secret' } } }, null);
    const airflows = createAirflowGateways({ config, clock: fakeClock(NOW), log: captureLog().log });

    expect(await airflows.forEnvironment('staging').trigger('scraper_lafa', 'jira__SCR-1__1', conf('SCR-1', 'staging'))).toMatchObject({ kind: 'created' });
    expect(await airflows.forEnvironment('prod').trigger('scraper_lafa', 'jira__SCR-2__1', conf('SCR-2', 'prod'))).toMatchObject({ kind: 'created' });
    expect(await airflows.forEnvironment('prod').trigger('scraper_quebec', 'jira__SCR-3__1', conf('SCR-3', 'prod'))).toMatchObject({ kind: 'created' });

    expect(staging.runs().map((r) => [r.dagRunId, r.conf['environment']])).toEqual([['jira__SCR-1__1', 'staging']]);
    expect(prod.runs().map((r) => [r.dagRunId, r.conf['environment']])).toEqual([
      ['jira__SCR-2__1', 'prod'],
      ['jira__SCR-3__1', 'prod'],
    ]);

    // Polling each instance once with its own DAG ids sees only that instance's runs (started by now).
    simNow += 1_500;
    const since = NOW;
    const seen = new Map<string, string[]>();
    for (const instance of airflows.instances().filter((i) => i.environments.length > 0)) {
      const runs = await instance.gateway.getChangedDagRuns(['scraper_lafa', 'scraper_quebec'], since);
      seen.set(instance.name, runs.map((r) => r.dagRunId).sort());
    }
    expect(Object.fromEntries(seen)).toEqual({ staging: ['jira__SCR-1__1'], prod: ['jira__SCR-2__1', 'jira__SCR-3__1'] });

    await airflows.forEnvironment('prod').stopDagRun('scraper_lafa', 'jira__SCR-2__1');
    expect(prod.run('scraper_lafa', 'jira__SCR-2__1')?.state).toBe('failed');
    expect(staging.run('scraper_lafa', 'jira__SCR-1__1')?.state).not.toBe('failed');

    const calls = (server: AirflowSim, pattern: RegExp): string[] =>
      server.log.entries.map((e) => `${e.method} ${e.path}`).filter((call) => pattern.test(call));
    const TRIGGERS = /^POST .*\/dagRuns$/;
    const STOPS = /^PATCH /;
    expect(calls(staging, TRIGGERS)).toEqual(['POST /api/v1/dags/scraper_lafa/dagRuns']);
    expect(calls(prod, TRIGGERS)).toEqual(['POST /api/v2/dags/scraper_lafa/dagRuns', 'POST /api/v2/dags/scraper_quebec/dagRuns']);
    expect(calls(staging, STOPS)).toEqual([]);
    expect(calls(prod, STOPS)).toEqual(['PATCH /api/v2/dags/scraper_lafa/dagRuns/jira__SCR-2__1']);
    expect(calls(prod, /^POST \/auth\/token$/)).toHaveLength(1);
    expect(calls(staging, /\/auth\/token/)).toEqual([]);
  });

  it('keeps one instance answering while the other is down, and says which one is down', async () => {
    const staging = await sim({ apiVersion: 'v1', tokens: ['staging-token'] });
    const prod = await sim({ apiVersion: 'v1', tokens: ['prod-token'] });
    const prodUrl = prod.url;
    await prod.close();
    started.splice(started.indexOf(prod), 1);
    const file = FileConfig.parse({
      jira: { baseUrl: 'https://jira.example.com', projects: ['SCR'] },
      airflow: { baseUrl: staging.url },
      http: { retries: 0 },
      environments: { staging: {}, prod: { airflowBaseUrl: prodUrl } },
    });
    const config = completeConfig(file, { airflowToken: 'staging-token', airflowByEnv: { prod: { token: 'prod-token' } } }, null);
    const airflows = createAirflowGateways({ config, clock: fakeClock(NOW), log: captureLog().log });

    for (const instance of airflows.instances()) {
      try {
        await instance.gateway.version();
        airflows.markUp(instance.name);
      } catch (error) {
        airflows.markDown(instance.name, error);
      }
    }

    expect(airflows.down().map((d) => [d.instance, d.baseUrl])).toEqual([['prod', prodUrl]]);
    expect(airflows.down()[0]?.error).not.toBe('');
    expect(await airflows.forEnvironment('staging').trigger('scraper_lafa', 'jira__SCR-1__1', conf('SCR-1', 'staging'))).toMatchObject({ kind: 'created' });
    expect(staging.runs()).toHaveLength(1);
  });

  it('marks an instance up again when it answers a call, and not when it answers 5xx', async () => {
    const staging = await sim({ apiVersion: 'v1', tokens: ['staging-token'] });
    const prod = await sim({ apiVersion: 'v1', tokens: ['prod-token'] });
    const file = FileConfig.parse({
      jira: { baseUrl: 'https://jira.example.com', projects: ['SCR'] },
      airflow: { baseUrl: staging.url },
      http: { retries: 0 },
      environments: { staging: {}, prod: { airflowBaseUrl: prod.url } },
    });
    const config = completeConfig(file, { airflowToken: 'staging-token', airflowByEnv: { prod: { token: 'prod-token' } } }, null);
    const airflows = createAirflowGateways({ config, clock: fakeClock(NOW), log: captureLog().log });
    airflows.markDown('prod', new Error('connect ECONNREFUSED'));

    prod.faults.inject({ method: 'POST', fault: { kind: 'status', status: 503 }, times: 1 });
    await expect(airflows.forEnvironment('prod').trigger('scraper_lafa', 'jira__SCR-2__1', conf('SCR-2', 'prod'))).rejects.toThrow();
    expect(airflows.down().map((d) => d.instance)).toEqual(['prod']);

    // A trigger answered with nothing of prod's in flight to poll: the only call that can bring it back.
    expect(await airflows.forEnvironment('prod').trigger('scraper_lafa', 'jira__SCR-2__1', conf('SCR-2', 'prod'))).toMatchObject({ kind: 'created' });
    expect(airflows.down()).toEqual([]);
    expect(prod.runs()).toHaveLength(1);
  });
});
