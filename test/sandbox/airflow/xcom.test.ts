import { afterEach, describe, expect, it } from 'vitest';
import { pythonRepr, pythonStr } from '../../../src/sandbox/airflow/index.js';
import { startHarness, VERSIONS, type SimHarness } from './helpers.js';

const XCOM = '/dags/scraper_lafa/dagRuns/r1/taskInstances/run_pipeline/xcomEntries/return_value';
const RESULT = { run_id: 'RUN-2025-01-05-0001', item_count: 4870, error: null };

describe('the result XCom', () => {
  let h: SimHarness;
  afterEach(async () => {
    await h.sim.close();
  });

  async function finishedRun(version: 'v1' | 'v2', result: unknown): Promise<void> {
    h = await startHarness(version, { timing: { queuedMs: 0, runningMs: 10 } });
    h.sim.plan({ dagRunId: 'r1' }, { state: 'success', result });
    await h.trigger('scraper_lafa', 'r1');
    h.clock.advance(10);
  }

  it('v1 without stringify=false gives the Python repr string, as Airflow 2 does', async () => {
    await finishedRun('v1', RESULT);
    const reply = await h.call('GET', XCOM);
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ key: 'return_value', task_id: 'run_pipeline', dag_id: 'scraper_lafa' });
    expect(reply.body.value).toBe("{'run_id': 'RUN-2025-01-05-0001', 'item_count': 4870, 'error': None}");
  });

  it('v1 with stringify=false gives the JSON value', async () => {
    await finishedRun('v1', RESULT);
    expect((await h.call('GET', `${XCOM}?stringify=false`)).body.value).toEqual(RESULT);
  });

  it('v2 gives the JSON value by default and the Python string with stringify=true', async () => {
    await finishedRun('v2', RESULT);
    const native = await h.call('GET', XCOM);
    expect(native.body).toMatchObject({ value: RESULT, run_id: 'r1', dag_display_name: 'scraper_lafa', task_display_name: 'run_pipeline' });
    expect((await h.call('GET', `${XCOM}?deserialize=true`)).body.value).toEqual(RESULT);
    expect((await h.call('GET', `${XCOM}?stringify=true`)).body.value).toBe(pythonRepr(RESULT));
  });

  describe.each(VERSIONS)('%s', (version) => {
    it('answers 404 before the run ended and for a planned missing result', async () => {
      h = await startHarness(version, { timing: { queuedMs: 0, runningMs: 10 } });
      h.sim.plan({ dagRunId: 'r1' }, { state: 'success', result: 'missing' });
      await h.trigger('scraper_lafa', 'r1');
      expect((await h.call('GET', XCOM)).status).toBe(404);
      h.clock.advance(10);
      expect((await h.call('GET', '/dags/scraper_lafa/dagRuns/r1')).body.state).toBe('success');
      expect((await h.call('GET', XCOM)).status).toBe(404);
    });

    it('serves a planned malformed result that is not the documented object', async () => {
      await finishedRun(version, 'malformed');
      const value = (await h.call('GET', `${XCOM}?stringify=false`)).body.value;
      expect(value).not.toHaveProperty('run_id');
    });

    it('answers 404 for another task or key', async () => {
      await finishedRun(version, RESULT);
      expect((await h.call('GET', XCOM.replace('run_pipeline', 'other'))).status).toBe(404);
      expect((await h.call('GET', XCOM.replace('return_value', 'other'))).status).toBe(404);
    });
  });
});

describe('pythonRepr', () => {
  it('renders JSON values like CPython', () => {
    expect(pythonRepr({ a: [1, 2.5, true, false, null], b: { c: 'd' } })).toBe("{'a': [1, 2.5, True, False, None], 'b': {'c': 'd'}}");
    expect(pythonRepr("it's")).toBe('"it\'s"');
    expect(pythonRepr('say "hi" it\'s')).toBe("'say \"hi\" it\\'s'");
    expect(pythonRepr('a\nb\\c')).toBe("'a\\nb\\\\c'");
    expect(pythonRepr('café')).toBe("'café'");
  });

  it('leaves a top-level string as it is (str, not repr)', () => {
    expect(pythonStr('oops')).toBe('oops');
    expect(pythonStr(5)).toBe('5');
  });
});
