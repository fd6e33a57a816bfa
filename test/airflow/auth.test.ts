import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { UpstreamError } from '../../src/http/errors.js';
import { useNock } from '../support/nock.js';
import { harness, ROOT } from './helpers.js';

const V1 = `${ROOT}/api/v1`;
const V2 = `${ROOT}/api/v2`;
const dag = { dag_id: 'scraper_lafa', is_paused: false, is_active: true, is_stale: false };
const user = { airflowUser: 'reconciler', airflowPass: 's3cret-pass' };

useNock();

describe('auth', () => {
  it.each(['v1', 'v2'] as const)('sends AIRFLOW_TOKEN as a bearer token on %s, even with user/password set', async (apiVersion) => {
    const { gateway } = harness({ apiVersion, secrets: { airflowToken: 'static-token', ...user } });
    const scope = nock(`${ROOT}/api/${apiVersion}`)
      .matchHeader('authorization', 'Bearer static-token')
      .get('/dags/scraper_lafa')
      .reply(200, dag);

    expect(await gateway.getDag('scraper_lafa')).not.toBeNull();
    scope.done();
  });

  it('uses HTTP Basic with user/password on v1', async () => {
    const { gateway } = harness({ apiVersion: 'v1', secrets: user });
    const basic = `Basic ${Buffer.from('reconciler:s3cret-pass').toString('base64')}`;
    const scope = nock(V1).matchHeader('authorization', basic).get('/dags/scraper_lafa').reply(200, dag);

    expect(await gateway.getDag('scraper_lafa')).not.toBeNull();
    scope.done();
  });

  it('sends no Authorization header without credentials', async () => {
    const { gateway } = harness({ apiVersion: 'v2' });
    const scope = nock(V2, { badheaders: ['authorization'] }).get('/dags/scraper_lafa').reply(200, dag);

    expect(await gateway.getDag('scraper_lafa')).not.toBeNull();
    scope.done();
  });

  it('exchanges user/password for a token at POST /auth/token on v2 and reuses it', async () => {
    const { gateway } = harness({ apiVersion: 'v2', secrets: user });
    let body: unknown;
    const token = nock(ROOT)
      .post('/auth/token', (sent) => ((body = sent), true))
      .reply(201, { access_token: 'jwt-1' });
    const api = nock(V2)
      .matchHeader('authorization', 'Bearer jwt-1')
      .get('/dags/scraper_lafa')
      .reply(200, dag)
      .get('/version')
      .reply(200, { version: '3.1.0' });

    await gateway.getDag('scraper_lafa');
    expect(await gateway.version()).toBe('3.1.0');
    expect(body).toStrictEqual({ username: 'reconciler', password: 's3cret-pass' });
    token.done();
    api.done();
  });

  it('shares one token exchange between concurrent calls', async () => {
    const { gateway } = harness({ apiVersion: 'v2', secrets: user });
    const token = nock(ROOT).post('/auth/token').reply(201, { access_token: 'jwt-1' });
    const api = nock(V2).matchHeader('authorization', 'Bearer jwt-1').get('/dags/scraper_lafa').times(3).reply(200, dag);

    await Promise.all([gateway.getDag('scraper_lafa'), gateway.getDag('scraper_lafa'), gateway.getDag('scraper_lafa')]);
    token.done();
    api.done();
  });

  it('fetches a new token once when v2 answers 401, then succeeds', async () => {
    const { gateway, clock } = harness({ apiVersion: 'v2', secrets: user });
    const token = nock(ROOT)
      .post('/auth/token')
      .reply(201, { access_token: 'jwt-expired' })
      .post('/auth/token')
      .reply(201, { access_token: 'jwt-fresh' });
    const api = nock(V2)
      .get('/dags/scraper_lafa')
      .matchHeader('authorization', 'Bearer jwt-expired')
      .reply(401, { detail: 'Invalid JWT token' })
      .get('/dags/scraper_lafa')
      .matchHeader('authorization', 'Bearer jwt-fresh')
      .reply(200, dag);

    expect(await gateway.getDag('scraper_lafa')).toEqual({ dagId: 'scraper_lafa', isPaused: false, isActive: true });
    expect(clock.sleeps).toEqual([]);
    token.done();
    api.done();
  });

  it('gives up with an auth error when the fresh token is refused too', async () => {
    const { gateway, clock } = harness({ apiVersion: 'v2', secrets: user });
    const token = nock(ROOT).post('/auth/token').times(2).reply(201, { access_token: 'jwt' });
    const api = nock(V2).get('/dags/scraper_lafa').times(2).reply(401, { detail: 'Invalid JWT token' });

    const error = await gateway.getDag('scraper_lafa').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as UpstreamError).kind).toBe('auth');
    expect(clock.sleeps).toEqual([]);
    token.done();
    api.done();
  });

  it('says which credentials are wrong when /auth/token refuses them, without retrying', async () => {
    const { gateway, clock } = harness({ apiVersion: 'v2', secrets: user });
    const token = nock(ROOT).post('/auth/token').reply(401, { detail: 'Invalid credentials' });

    const error = await gateway.version().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as UpstreamError).kind).toBe('auth');
    expect((error as UpstreamError).message).toContain('AIRFLOW_USER');
    expect(clock.sleeps).toEqual([]);
    token.done();
  });

  it('fails with bad_response when /auth/token answers without access_token', async () => {
    const { gateway } = harness({ apiVersion: 'v2', secrets: user });
    const token = nock(ROOT).post('/auth/token').reply(201, { token: 'jwt' });

    const error = await gateway.version().catch((caught: unknown) => caught);
    expect((error as UpstreamError).kind).toBe('bad_response');
    expect((error as UpstreamError).message).toContain('access_token');
    token.done();
  });

  it('never writes the password or a token to the log', async () => {
    const { gateway, logs } = harness({ apiVersion: 'v2', secrets: user });
    const token = nock(ROOT).post('/auth/token').times(2).reply(201, { access_token: 'jwt-secret-value' });
    const api = nock(V2)
      .get('/dags/scraper_lafa')
      .reply(401, { detail: 'Invalid JWT token' })
      .get('/dags/scraper_lafa')
      .reply(500, { detail: 'boom' })
      .get('/dags/scraper_lafa')
      .reply(200, dag);

    await gateway.getDag('scraper_lafa');
    expect(logs.text()).toContain('GET /dags/scraper_lafa');
    expect(logs.text()).not.toContain('s3cret-pass');
    expect(logs.text()).not.toContain('jwt-secret-value');
    token.done();
    api.done();
  });
});
