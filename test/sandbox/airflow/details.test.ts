import { afterEach, describe, expect, it } from 'vitest';
import type { SimParam } from '../../../src/sandbox/airflow/index.js';
import { startHarness, VERSIONS, type SimHarness } from './helpers.js';

const PARAMS: Record<string, SimParam> = {
  max_pages: { default: 10, description: 'Pages to fetch', schema: { type: 'integer', minimum: 1 } },
  country: { schema: { type: 'string', enum: ['AR', 'CA'] } },
};

describe('DAG details', () => {
  let h: SimHarness;
  afterEach(async () => {
    await h.sim.close();
  });

  describe.each(VERSIONS)('%s', (version) => {
    const paramClass = version === 'v1' ? 'airflow.models.param.Param' : 'airflow.sdk.definitions.param.Param';

    it('shows the declared params as Airflow dumps them: a param without a default has a null value', async () => {
      h = await startHarness(version, { dags: [{ dagId: 'scraper_lafa', params: PARAMS }] });
      const reply = await h.call('GET', '/dags/scraper_lafa/details');
      expect(reply.status).toBe(200);
      expect(reply.body.dag_id).toBe('scraper_lafa');
      expect(reply.body.params).toEqual({
        max_pages: { __class: paramClass, value: 10, description: 'Pages to fetch', schema: { type: 'integer', minimum: 1 } },
        country: { __class: paramClass, value: null, description: null, schema: { type: 'string', enum: ['AR', 'CA'] } },
      });
    });

    it('seeds params through addDag too, shows {} for a DAG without any, and 404s an unknown DAG', async () => {
      h = await startHarness(version);
      h.sim.addDag('scraper_new', { params: { limit: { default: 5 } } });
      expect((await h.call('GET', '/dags/scraper_new/details')).body.params).toEqual({ limit: { __class: paramClass, value: 5, description: null, schema: {} } });
      expect((await h.call('GET', '/dags/scraper_quebec/details')).body.params).toEqual({});
      expect((await h.call('GET', '/dags/scraper_nope/details')).status).toBe(404);
    });
  });
});
