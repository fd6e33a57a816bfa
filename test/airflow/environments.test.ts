import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { createAirflowGateways, type AirflowRouter } from '../../src/airflow/environments.js';
import type { RunConf } from '../../src/airflow/gateway.js';
import { completeConfig } from '../../src/config/read-config.js';
import { FileConfig, type Config, type Secrets } from '../../src/config/schema.js';
import { fakeClock } from '../support/fake-clock.js';
import { captureLog } from '../support/log-capture.js';
import { useNock } from '../support/nock.js';
import { apiRun, NOW } from './helpers.js';

const DEFAULT = 'https://airflow.example.com';
const STAGING = 'https://airflow-staging.example.com';
const PROD = 'https://airflow-prod.example.com';

function basic(user: string, pass: string): string {
  return `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
}

function config(environments: unknown, secrets: Secrets, apiVersion: 'v1' | 'v2' = 'v1'): Config {
  const file = FileConfig.parse({ jira: { baseUrl: 'https://jira.example.com', projects: ['SCR'] }, airflow: { baseUrl: DEFAULT, apiVersion }, environments });
  return completeConfig(file, secrets, null);
}

function router(cfg: Config): AirflowRouter {
  return createAirflowGateways({ config: cfg, clock: fakeClock(NOW), log: captureLog().log });
}

function conf(environment: string): RunConf {
  return { jira_issue_key: 'SCR-1', source: 'lafa', run_type: 'DELTA', params: {}, environment };
}

const TWO_OWN = {
  dev: {},
  staging: { airflowBaseUrl: STAGING },
  prod: { airflowBaseUrl: `${PROD}/`, approvalLabel: 'prod-approved' },
};
const TWO_OWN_SECRETS: Secrets = {
  airflowToken: 'default-token',
  airflowByEnv: { staging: { token: 'staging-token' }, prod: { user: 'prod-bot', pass: 'prod-secret' } },
};

useNock();

describe('routing by environment', () => {
  it('sends each environment to its own Airflow with its own credentials, and the rest to the default', async () => {
    const airflows = router(config(TWO_OWN, TWO_OWN_SECRETS));
    const staging = nock(STAGING, { reqheaders: { authorization: 'Bearer staging-token' } })
      .post('/api/v1/dags/scraper_lafa/dagRuns')
      .reply(200, apiRun('scraper_lafa', 'jira__SCR-1__1', 'queued'));
    const prod = nock(PROD, { reqheaders: { authorization: basic('prod-bot', 'prod-secret') } })
      .post('/api/v1/dags/scraper_lafa/dagRuns')
      .reply(200, apiRun('scraper_lafa', 'jira__SCR-2__1', 'queued'));
    const fallback = nock(DEFAULT, { reqheaders: { authorization: 'Bearer default-token' } })
      .post('/api/v1/dags/scraper_lafa/dagRuns')
      .times(3)
      .reply(200, apiRun('scraper_lafa', 'jira__SCR-3__1', 'queued'));

    await airflows.forEnvironment('staging').trigger('scraper_lafa', 'jira__SCR-1__1', conf('staging'));
    await airflows.forEnvironment('prod').trigger('scraper_lafa', 'jira__SCR-2__1', conf('prod'));
    await airflows.forEnvironment('dev').trigger('scraper_lafa', 'jira__SCR-3__1', conf('dev'));
    await airflows.forEnvironment(null).trigger('scraper_lafa', 'jira__SCR-4__1', conf('dev'));
    await airflows.forEnvironment('qa').trigger('scraper_lafa', 'jira__SCR-5__1', conf('qa'));

    staging.done();
    prod.done();
    fallback.done();
  });

  it('exchanges the user and password for a token on an environment whose own Airflow is v2', async () => {
    const cfg = config({ dev: {}, prod: { airflowBaseUrl: PROD, airflowApiVersion: 'v2' } }, { airflowByEnv: { prod: { user: 'prod-bot', pass: 'prod-secret' } } });
    const airflows = router(cfg);
    let exchanged: unknown;
    let body: unknown;
    const prod = nock(PROD)
      .post('/auth/token', (sent) => ((exchanged = sent), true))
      .reply(201, { access_token: 'jwt-prod', token_type: 'bearer' })
      .post('/api/v2/dags/scraper_lafa/dagRuns', (sent) => ((body = sent), true))
      .matchHeader('authorization', 'Bearer jwt-prod')
      .reply(200, apiRun('scraper_lafa', 'jira__SCR-2__1', 'queued'));

    await airflows.forEnvironment('prod').trigger('scraper_lafa', 'jira__SCR-2__1', conf('prod'));

    expect(exchanged).toStrictEqual({ username: 'prod-bot', password: 'prod-secret' });
    expect(body).toMatchObject({ dag_run_id: 'jira__SCR-2__1', logical_date: null });
    expect(airflows.instanceFor('prod').apiVersion).toBe('v2');
    expect(airflows.instanceFor('dev').apiVersion).toBe('v1');
    prod.done();
  });

  it('never lends the default credentials to an environment that has none of its own', async () => {
    const airflows = router(config({ dev: {}, prod: { airflowBaseUrl: PROD } }, { airflowToken: 'default-token' }));
    const authorization = new Map<string, string | undefined>();
    const answer = (root: string): nock.Scope =>
      nock(root)
        .get('/api/v1/version')
        .reply(function reply() {
          authorization.set(root, this.req.headers.authorization);
          return [200, { version: '2.10.5', git_version: null }];
        });
    const scopes = [answer(PROD), answer(DEFAULT)];

    expect(await airflows.forEnvironment('prod').version()).toBe('2.10.5');
    expect(await airflows.forEnvironment('dev').version()).toBe('2.10.5');
    expect(authorization.get(DEFAULT)).toBe('Bearer default-token');
    expect(authorization.has(PROD)).toBe(true);
    expect(authorization.get(PROD)).toBeUndefined();
    for (const scope of scopes) scope.done();
  });

  it('links to the Airflow UI of the run\'s own instance', () => {
    const airflows = router(config(TWO_OWN, TWO_OWN_SECRETS));

    expect(airflows.forEnvironment('prod').uiUrl('scraper_lafa', 'jira__SCR-2__1')).toBe(`${PROD}/dags/scraper_lafa/grid?dag_run_id=jira__SCR-2__1`);
    expect(airflows.forEnvironment('dev').uiUrl('scraper_lafa', 'jira__SCR-3__1')).toBe(`${DEFAULT}/dags/scraper_lafa/grid?dag_run_id=jira__SCR-3__1`);
  });
});

describe('instances', () => {
  it('lists one entry per distinct Airflow with the environments it serves', () => {
    const airflows = router(config(TWO_OWN, TWO_OWN_SECRETS));

    const listed = airflows.instances().map(({ name, baseUrl, apiVersion, environments }) => ({ name, baseUrl, apiVersion, environments }));

    expect(listed).toEqual([
      { name: 'default', baseUrl: DEFAULT, apiVersion: 'v1', environments: ['dev'] },
      { name: 'staging', baseUrl: STAGING, apiVersion: 'v1', environments: ['staging'] },
      { name: 'prod', baseUrl: PROD, apiVersion: 'v1', environments: ['prod'] },
    ]);
    expect(airflows.instanceFor('prod').gateway).toBe(airflows.forEnvironment('prod'));
    expect(airflows.instances().map((i) => i.secretPrefix)).toEqual(['AIRFLOW', 'AIRFLOW_STAGING', 'AIRFLOW_PROD']);
    expect(airflows.instanceFor('prod').config.airflow).toMatchObject({ baseUrl: PROD, uiBaseUrl: PROD, apiVersion: 'v1', dagIdTemplate: 'scraper_{source}' });
  });

  it('shares one instance between environments naming the same Airflow with the same credentials', () => {
    const cfg = config(
      { staging: { airflowBaseUrl: STAGING }, qa: { airflowBaseUrl: STAGING }, prod: { airflowBaseUrl: STAGING } },
      { airflowByEnv: { staging: { token: 'shared' }, qa: { token: 'shared' }, prod: { token: 'prod-only' } } },
    );
    const airflows = router(cfg);

    expect(airflows.instances().map((i) => [i.name, i.environments])).toEqual([
      ['default', []],
      ['staging', ['staging', 'qa']],
      ['prod', ['prod']],
    ]);
    expect(airflows.forEnvironment('qa')).toBe(airflows.forEnvironment('staging'));
    expect(airflows.forEnvironment('prod')).not.toBe(airflows.forEnvironment('staging'));
  });

  it('has only the default when environments are a plain list', () => {
    const airflows = router(config(['dev', 'staging', 'prod'], {}));

    expect(airflows.instances().map((i) => [i.name, i.environments])).toEqual([['default', ['dev', 'staging', 'prod']]]);
    expect(airflows.forEnvironment('prod')).toBe(airflows.forEnvironment(null));
  });

  it('builds each gateway from a config holding only that instance\'s Airflow and credentials', () => {
    const seen: Array<{ baseUrl: string; apiVersion: string; secrets: Secrets }> = [];
    const cfg = config(TWO_OWN, { ...TWO_OWN_SECRETS, jiraPat: 'jira-pat' });
    createAirflowGateways({
      config: cfg,
      clock: fakeClock(NOW),
      log: captureLog().log,
      create: ({ config: own }) => {
        seen.push({ baseUrl: own.airflow.baseUrl, apiVersion: own.airflow.apiVersion, secrets: own.secrets });
        return router(cfg).forEnvironment(null);
      },
    });

    expect(seen.map((s) => s.baseUrl)).toEqual([DEFAULT, STAGING, PROD]);
    expect(seen[1]?.secrets).toMatchObject({ airflowToken: 'staging-token', jiraPat: 'jira-pat' });
    expect(seen[2]?.secrets).not.toHaveProperty('airflowToken');
    expect(seen[2]?.secrets).toMatchObject({ airflowUser: 'prod-bot', airflowPass: 'prod-secret' });
  });
});

describe('health', () => {
  it('reports the instances whose last call failed until they answer again', () => {
    const airflows = router(config(TWO_OWN, TWO_OWN_SECRETS));

    airflows.markDown('prod', new Error('connect ECONNREFUSED 10.0.0.7:443'));
    airflows.markDown('staging', 'HTTP 503');
    airflows.markUp('staging');

    expect(airflows.down()).toEqual([{ instance: 'prod', baseUrl: PROD, error: 'connect ECONNREFUSED 10.0.0.7:443' }]);
    airflows.markUp('prod');
    expect(airflows.down()).toEqual([]);
  });

  it('refuses an instance name it does not know, naming the known ones', () => {
    const airflows = router(config(TWO_OWN, TWO_OWN_SECRETS));

    expect(() => airflows.markDown('dev', new Error('down'))).toThrow('no Airflow instance named dev; known: default, staging, prod');
  });
});
