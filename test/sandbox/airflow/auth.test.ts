import { afterEach, describe, expect, it } from 'vitest';
import { basic, request, startHarness, type SimHarness } from './helpers.js';

describe('Airflow sim auth', () => {
  let h: SimHarness;
  afterEach(async () => {
    await h.sim.close();
  });

  describe('v1 (Airflow 2)', () => {
    it('accepts HTTP Basic for a configured user and refuses a wrong password with a problem 401', async () => {
      h = await startHarness('v1', { users: [{ username: 'ops', password: 's3cret' }] });
      const ok = await request(`${h.sim.url}/api/v1/dags/scraper_lafa`, 'GET', undefined, basic('ops', 's3cret'));
      expect(ok.status).toBe(200);
      const bad = await request(`${h.sim.url}/api/v1/dags/scraper_lafa`, 'GET', undefined, basic('ops', 'nope'));
      expect(bad.status).toBe(401);
      expect(bad.body).toMatchObject({ status: 401, title: 'Unauthorized' });
      expect(bad.headers.get('www-authenticate')).toBe('Basic');
    });

    it('accepts a static bearer token and refuses a request without credentials', async () => {
      h = await startHarness('v1');
      expect((await h.call('GET', '/dags')).status).toBe(200);
      expect((await request(`${h.sim.url}/api/v1/dags`, 'GET')).status).toBe(401);
      expect((await request(`${h.sim.url}/api/v1/dags`, 'GET', undefined, { authorization: 'Bearer other' })).status).toBe(401);
    });

    it('serves version and health without credentials', async () => {
      h = await startHarness('v1');
      const version = await request(`${h.sim.url}/api/v1/version`, 'GET');
      expect(version.status).toBe(200);
      expect(version.body.version).toMatch(/^2\./);
      expect((await request(`${h.sim.url}/api/v1/health`, 'GET')).body.metadatabase.status).toBe('healthy');
    });
  });

  describe('v2 (Airflow 3)', () => {
    it('exchanges credentials for a bearer token at POST /auth/token that the API then accepts', async () => {
      h = await startHarness('v2');
      const issued = await request(`${h.sim.url}/auth/token`, 'POST', { username: 'admin', password: 'admin' });
      expect(issued.status).toBe(201);
      expect(issued.body.access_token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
      const dag = await request(`${h.sim.url}/api/v2/dags/scraper_quebec`, 'GET', undefined, { authorization: `Bearer ${issued.body.access_token}` });
      expect(dag.status).toBe(200);
    });

    it('refuses bad credentials at /auth/token with 401', async () => {
      h = await startHarness('v2');
      const issued = await request(`${h.sim.url}/auth/token`, 'POST', { username: 'admin', password: 'wrong' });
      expect(issued.status).toBe(401);
      expect(issued.body).toEqual({ detail: 'Invalid credentials' });
    });

    it('answers 401 {detail} to a missing or unknown bearer, and to HTTP Basic', async () => {
      h = await startHarness('v2');
      const url = `${h.sim.url}/api/v2/dags`;
      for (const headers of [{}, { authorization: 'Bearer forged.token.x' }, basic('admin', 'admin')]) {
        const reply = await request(url, 'GET', undefined, headers);
        expect(reply.status).toBe(401);
        expect(typeof reply.body.detail).toBe('string');
      }
      expect((await h.call('GET', '/dags')).status).toBe(200);
    });

    it('expires issued tokens on the sim clock', async () => {
      h = await startHarness('v2', { tokenTtlMs: 60_000 });
      const { body } = await request(`${h.sim.url}/auth/token`, 'POST', { username: 'admin', password: 'admin' });
      const auth = { authorization: `Bearer ${body.access_token}` };
      expect((await request(`${h.sim.url}/api/v2/dags`, 'GET', undefined, auth)).status).toBe(200);
      h.clock.advance(60_000);
      expect((await request(`${h.sim.url}/api/v2/dags`, 'GET', undefined, auth)).status).toBe(401);
    });

    it('serves version and monitor/health without credentials', async () => {
      h = await startHarness('v2');
      expect((await request(`${h.sim.url}/api/v2/version`, 'GET')).body.version).toMatch(/^3\./);
      expect((await request(`${h.sim.url}/api/v2/monitor/health`, 'GET')).status).toBe(200);
    });
  });
});
