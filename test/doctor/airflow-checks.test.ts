import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { AIRFLOW, AIRFLOW_PASS, AIRFLOW_TOKEN, dag, doctorAgainst, edited, goodAirflow, goodJira, mockJira, runDoctor, useSandbox, type AirflowWorld } from './helpers.js';

const box = useSandbox();

/** Runs doctor against this Airflow and a healthy Jira. */
function withAirflow(world: AirflowWorld, env: Record<string, string> = box.env) {
  return doctorAgainst(goodJira(), world, env);
}

function change(edit: (world: AirflowWorld) => void): AirflowWorld {
  return edited(goodAirflow(), edit);
}

describe('doctor: Airflow API', () => {
  it('fails when Airflow refuses the connection, after one quick retry, and skips the DAG checks', async () => {
    const run = await withAirflow(change((w) => (w.version = 'refused')));

    expect(run.code).toBe(1);
    const api = run.check('airflow api');
    expect(api.status).toBe('FAIL');
    expect(api.detail).toContain('ECONNREFUSED');
    expect(api.fix).toContain(`check AIRFLOW_BASE_URL (now ${AIRFLOW})`);
    expect(run.clock.sleeps).toEqual([2000]);
    expect(run.check('airflow dag scraper_alfabeta')).toMatchObject({ status: 'FAIL', detail: 'skipped: needs the Airflow API' });
    expect(run.check('jira credentials').status).toBe('PASS');
  });

  it('fails a 404 from /api/v2/version, after the Airflow 3 login, pointing at AIRFLOW_BASE_URL when /api/v1 is not there either', async () => {
    let login: unknown;
    const token = nock(AIRFLOW)
      .post('/auth/token', (body) => ((login = body), true))
      .reply(201, { access_token: 'jwt-abc' });
    const world = change((w) => {
      w.apiVersion = 'v2';
      w.version = [404, { detail: 'Not Found' }];
    });
    const run = await withAirflow(world, { ...box.env, AIRFLOW_API_VERSION: 'v2' });

    expect(run.code).toBe(1);
    const api = run.check('airflow api');
    expect(api).toMatchObject({ status: 'FAIL', detail: `${AIRFLOW} has no /api/v2/version and no /api/v1/version (HTTP 404)` });
    expect(api.fix).toContain('AIRFLOW_BASE_URL');
    expect(login).toEqual({ username: 'reconciler', password: AIRFLOW_PASS });
    token.done();
  });

  it('detects Airflow 3 behind AIRFLOW_API_VERSION=v1: /api/v1 is gone, /api/v2/version answers; says to set v2', async () => {
    const world = change((w) => {
      w.version = [404, { detail: 'Not Found' }];
    });
    const v2 = nock(`${AIRFLOW}/api/v2`).get('/version').reply(200, { version: '3.0.2', git_version: null });
    const run = await withAirflow(world);

    v2.done();
    const api = run.check('airflow api');
    expect(api).toMatchObject({ status: 'FAIL' });
    expect(api.detail).toContain(`${AIRFLOW} is Airflow 3.0.2: it serves /api/v2, not /api/v1`);
    expect(api.fix).toContain('set AIRFLOW_API_VERSION=v2');
    expect(run.check('airflow dag scraper_quebec').detail).toBe('skipped: needs the Airflow API');
  });

  it('detects Airflow 2 behind AIRFLOW_API_VERSION=v2: no POST /auth/token, /api/v1/version answers; says to set v1', async () => {
    const login = nock(AIRFLOW).post('/auth/token').reply(404, { detail: 'Not Found' });
    const v1 = nock(`${AIRFLOW}/api/v1`).get('/version').reply(200, { version: '2.10.5', git_version: '.release:abc' });
    const jira = mockJira(goodJira());
    const run = await runDoctor({ ...box.env, AIRFLOW_API_VERSION: 'v2' });

    jira.done();
    login.done();
    v1.done();
    const api = run.check('airflow api');
    expect(api.detail).toContain('is Airflow 2.10.5: it serves /api/v1, not /api/v2');
    expect(api.fix).toContain('set AIRFLOW_API_VERSION=v1');
  });

  it('fails when the version does not match the API prefix', async () => {
    const world = change((w) => {
      w.version = [200, { version: '3.0.2' }];
      w.dags = {};
    });
    const run = await withAirflow(world);

    expect(run.check('airflow api')).toMatchObject({ status: 'FAIL', detail: 'Airflow 3.0.2 answers on /api/v1, which is for Airflow 2.x' });
    expect(run.check('airflow api').fix).toContain('AIRFLOW_API_VERSION=v2');
  });

  it('names AIRFLOW_TOKEN when Airflow refuses the token', async () => {
    const world = change((w) => (w.dags = { ...w.dags, scraper_alfabeta: [401, { title: 'Unauthorized' }] }));
    const env: Record<string, string> = { ...box.env, AIRFLOW_TOKEN };
    delete env.AIRFLOW_USER;
    delete env.AIRFLOW_PASS;
    const run = await withAirflow(world, env);

    expect(run.check('airflow dag scraper_alfabeta').status).toBe('FAIL');
    expect(run.check('airflow dag scraper_alfabeta').fix).toBe('Airflow refused AIRFLOW_TOKEN: check that the token is current');
  });
});

describe('doctor: DAGs', () => {
  it('fails a paused DAG with how to unpause it', async () => {
    const run = await withAirflow(change((w) => (w.dags.scraper_quebec = dag('scraper_quebec', { paused: true }))));

    expect(run.code).toBe(1);
    const quebec = run.check('airflow dag scraper_quebec');
    expect(quebec).toMatchObject({ status: 'FAIL', detail: 'scraper_quebec is paused: its runs would stay queued' });
    expect(quebec.fix).toContain('airflow dags unpause scraper_quebec');
    expect(run.check('airflow dag scraper_lafa').status).toBe('PASS');
  });

  it('fails a missing DAG and names the setting that makes its id', async () => {
    const run = await withAirflow(change((w) => (w.dags.scraper_lafa = [404, { title: 'DAG not found' }])));

    expect(run.code).toBe(1);
    const lafa = run.check('airflow dag scraper_lafa');
    expect(lafa).toMatchObject({ status: 'FAIL', detail: 'no DAG scraper_lafa (source lafa)' });
    expect(lafa.fix).toContain('airflow.dagIdTemplate');
  });

  it('fails a DAG whose file Airflow lost', async () => {
    const run = await withAirflow(change((w) => (w.dags.scraper_lafa = dag('scraper_lafa', { active: false }))));

    expect(run.check('airflow dag scraper_lafa').detail).toContain('no longer active');
  });
});
