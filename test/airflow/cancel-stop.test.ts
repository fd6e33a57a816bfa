import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { verifiedStop } from '../../src/airflow/cancel.js';
import { createAirflowClient } from '../../src/airflow/client.js';
import type { Clock } from '../../src/clock.js';
import { isStopped } from '../../src/http/retry.js';
import { captureLog } from '../support/log-capture.js';
import { useNock } from '../support/nock.js';
import { apiRun, NOW, ROOT, testConfig } from './helpers.js';

const RUN = '/dags/scraper_lafa/dagRuns/jira__SCR-7__1';

describe('verifiedStop and the stop signal', () => {
  useNock();

  it('a stop during the wait before the read-back drops the wait and reads nothing more (StoppedError)', async () => {
    const stopping = new AbortController();
    const waits: number[] = [];
    // A wait that only the stop ends; the process is told to stop the moment the wait begins.
    const clock: Clock = {
      now: () => NOW,
      sleep: (ms, signal) =>
        new Promise<void>((resolve) => {
          waits.push(ms);
          signal?.addEventListener('abort', () => resolve(), { once: true });
          stopping.abort();
        }),
    };
    const config = testConfig({ apiVersion: 'v1', retries: 0 });
    const scope = nock(`${ROOT}/api/v1`)
      .get(RUN).reply(200, apiRun('scraper_lafa', 'jira__SCR-7__1', 'running'))
      .patch(RUN).reply(200, apiRun('scraper_lafa', 'jira__SCR-7__1', 'failed'))
      .get(`${RUN}/taskInstances`).query(true).reply(200, { task_instances: [], total_entries: 0 });
    const { log } = captureLog();
    const deps = { client: createAirflowClient({ config, clock, log }), apiVersion: 'v1' as const, clock, log, signal: stopping.signal };

    const error = await verifiedStop(deps, 'scraper_lafa', 'jira__SCR-7__1').catch((caught: unknown) => caught);
    expect(isStopped(error)).toBe(true);
    expect(waits).toEqual([2000]);
    scope.done();
  });
});
