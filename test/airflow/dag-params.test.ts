import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { createAirflowClient } from '../../src/airflow/client.js';
import { checkConfParams, compileConfCheck, declaredParams, readDagParams, type DeclaredParam } from '../../src/airflow/dag-params.js';
import { startAirflowSim, type AirflowSim, type ApiVersion } from '../../src/sandbox/airflow/index.js';
import { fakeClock } from '../support/fake-clock.js';
import { captureLog } from '../support/log-capture.js';
import { useNock } from '../support/nock.js';
import { NOW, ROOT, testConfig } from './helpers.js';

function clientFor(apiVersion: ApiVersion, simUrl?: string) {
  const base = testConfig({ apiVersion, retries: 0, secrets: simUrl === undefined ? {} : { airflowToken: 'sim-token' } });
  const config = simUrl === undefined ? base : { ...base, airflow: { ...base.airflow, baseUrl: simUrl } };
  return createAirflowClient({ config, clock: fakeClock(NOW), log: captureLog().log });
}

const param = (name: string, schema: Record<string, unknown>, defaultValue: unknown = null): DeclaredParam => ({ name, default: defaultValue, description: null, schema });

describe('declaredParams', () => {
  it('reads Param dumps of Airflow 2 and 3, the Airflow 2.0 form, and plain values', () => {
    const declared = declaredParams({
      max_pages: { __class: 'airflow.models.param.Param', value: 10, description: 'Pages', schema: { type: 'integer', minimum: 1 } },
      country: { __class: 'airflow.sdk.definitions.param.Param', value: null, description: null, schema: { type: 'string' } },
      legacy: { __type: 'airflow.models.param.Param', default: 'x', description: null, schema: {} },
      plain: 'old_way',
      listed: [1, 2],
    });
    expect(declared).toEqual([
      { name: 'max_pages', default: 10, description: 'Pages', schema: { type: 'integer', minimum: 1 } },
      { name: 'country', default: null, description: null, schema: { type: 'string' } },
      { name: 'legacy', default: 'x', description: null, schema: {} },
      { name: 'plain', default: 'old_way', description: null, schema: {} },
      { name: 'listed', default: [1, 2], description: null, schema: {} },
    ]);
  });

  it('reads no params from null or a missing field', () => {
    expect(declaredParams(null)).toEqual([]);
    expect(declaredParams(undefined)).toEqual([]);
  });
});

describe('checkConfParams', () => {
  const declared = [
    param('max_pages', { type: 'integer', minimum: 1 }, 10),
    param('country', { type: 'string', enum: ['AR', 'CA'] }),
    param('note', { type: ['null', 'string'] }),
  ];

  it('accepts values that fit, and leaves out a param with a default or one that may be null', () => {
    expect(checkConfParams(declared, { country: 'AR' })).toEqual([]);
    expect(checkConfParams(declared, { country: 'CA', max_pages: 3, note: 'hi', unrelated: true })).toEqual([]);
  });

  it('says a required param without a default is missing', () => {
    expect(checkConfParams(declared, {})).toEqual(['`country` is required: the DAG declares it without a default']);
  });

  it('says in plain words what each wrong value must be', () => {
    expect(checkConfParams(declared, { max_pages: 0, country: 'BR' })).toEqual(['`max_pages` must be ≥ 1', '`country` must be one of "AR", "CA"']);
    expect(checkConfParams(declared, { max_pages: 2.5, country: 'AR', note: 5 })).toEqual(['`max_pages` must be a whole number', '`note` must be null or text']);
  });

  it('names the path inside an object or list param', () => {
    const nested = [
      param('filters', { type: 'object', properties: { region: { type: 'string', minLength: 2 } }, required: ['region'], additionalProperties: false }, {}),
      param('ids', { type: 'array', items: { type: 'integer', exclusiveMinimum: 0 }, maxItems: 3 }, []),
    ];
    expect(checkConfParams(nested, { filters: { region: 'X', extra: 1 }, ids: [1, -2] })).toEqual([
      '`filters` has a key the DAG does not take: `extra`',
      '`filters.region` must be at least 2 characters long',
      '`ids[1]` must be > 0',
    ]);
    expect(checkConfParams(nested, { filters: {}, ids: [1, 2, 3, 4] })).toEqual(['`filters.region` is required', '`ids` must have at most 3 items']);
  });

  it('checks formats and patterns as Airflow does', () => {
    const formatted = [param('since', { type: 'string', format: 'date' }, '2025-01-01'), param('code', { type: 'string', pattern: '^[A-Z]{3}$' }, 'ABC')];
    expect(checkConfParams(formatted, { since: 'yesterday', code: 'ab' })).toEqual(['`since` must be a valid date', '`code` must match the pattern ^[A-Z]{3}$']);
  });

  it('reports a schema the DAG declares that cannot be compiled, naming the param', () => {
    const problems = checkConfParams([param('broken', { type: 'integer', minimum: 'one' }, 1)], { broken: 2 });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^`broken`: the DAG declares a schema that cannot be checked/);
  });

  it('compiles once and checks many sets of values', () => {
    const check = compileConfCheck(declared);
    expect(check({ country: 'AR' })).toEqual([]);
    expect(check({ country: 1 })).toEqual(['`country` must be text', '`country` must be one of "AR", "CA"']);
  });
});

describe('readDagParams against a mocked Airflow', () => {
  useNock();

  it.each(['v1', 'v2'] as const)('%s reads GET /dags/{dag_id}/details, and null for an unknown DAG', async (version) => {
    const api = `${ROOT}/api/${version}`;
    const scope = nock(api)
      .get('/dags/scraper_lafa/details')
      .reply(200, { dag_id: 'scraper_lafa', params: { limit: { __class: 'airflow.models.param.Param', value: 5, description: null, schema: { type: 'integer' } } } })
      .get('/dags/scraper_nope/details')
      .reply(404, { detail: 'not found' });
    const client = clientFor(version);
    expect(await readDagParams({ client }, 'scraper_lafa')).toEqual([{ name: 'limit', default: 5, description: null, schema: { type: 'integer' } }]);
    expect(await readDagParams({ client }, 'scraper_nope')).toBeNull();
    scope.done();
  });

  it('reads a DAG whose details have params null as declaring none', async () => {
    const scope = nock(`${ROOT}/api/v2`).get('/dags/scraper_lafa/details').reply(200, { dag_id: 'scraper_lafa', params: null });
    expect(await readDagParams({ client: clientFor('v2') }, 'scraper_lafa')).toEqual([]);
    scope.done();
  });
});

describe('readDagParams against the Airflow sim', () => {
  let sim: AirflowSim | undefined;
  afterEach(async () => {
    await sim?.close();
  });

  it.each(['v1', 'v2'] as const)('%s: the params seeded on the sim come back and are checked', async (version) => {
    sim = await startAirflowSim({
      apiVersion: version,
      tokens: ['sim-token'],
      dags: [{ dagId: 'scraper_lafa', params: { max_pages: { default: 10, schema: { type: 'integer', minimum: 1 } }, country: { schema: { type: 'string' } } } }],
    });
    const declared = await readDagParams({ client: clientFor(version, sim.url) }, 'scraper_lafa');
    expect(declared?.map((p) => p.name)).toEqual(['max_pages', 'country']);
    expect(checkConfParams(declared ?? [], { max_pages: 0 })).toEqual(['`max_pages` must be ≥ 1', '`country` is required: the DAG declares it without a default']);
  });
});
