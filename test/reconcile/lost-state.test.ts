import { afterEach, describe, expect, it } from 'vitest';
import { decide, startedRun, type DecideRules } from '../../src/reconcile/decide.js';
import { decideRules, runPass } from '../../src/reconcile/pass.js';
import { passSlots } from '../../src/reconcile/slots.js';
import type { InFlightRun } from '../../src/airflow/gateway.js';
import type { RunRecord } from '../../src/store/run-record.js';
import { COMPLETED, FAILED, passDeps, READY, testConfig, ticket, type PassHarness } from './fakes.js';

const RUN1 = 'jira__SCR-1__10001';
const RUNNING = { jira: { statuses: { running: 'Running' } } };
const RESULT = { kind: 'found', value: { run_id: 'RUN-1', item_count: 3, error: null } } as const;

let h: PassHarness;
const pass = () => runPass(h.deps);
const markers = (key: string) => h.jira.commentsOn(key).map((c) => c.marker);

function rules(file: Record<string, unknown> = RUNNING): DecideRules {
  return decideRules(testConfig({ file }), () => []);
}

describe('startedRun: which tickets outside Ready to Run are followed from their run', () => {
  it('a ticket in the running status whose Airflow Run ID is its request\'s run, or a retry of it', () => {
    const r = rules();
    expect(startedRun(ticket('SCR-1', { status: 'Running', airflowRunId: RUN1 }), r)).toEqual({ dagId: 'scraper_alfabeta', dagRunId: RUN1 });
    expect(startedRun(ticket('SCR-1', { status: 'running', airflowRunId: `${RUN1}__a2` }), r)).toEqual({ dagId: 'scraper_alfabeta', dagRunId: RUN1 });
  });

  it('none without a running status, without an Airflow Run ID, or with the run of an earlier request', () => {
    expect(startedRun(ticket('SCR-1', { status: 'Running', airflowRunId: RUN1 }), rules({}))).toBeNull();
    expect(startedRun(ticket('SCR-1', { status: 'Running' }), rules())).toBeNull();
    expect(startedRun(ticket('SCR-1', { status: 'Running', airflowRunId: 'jira__SCR-1__9999' }), rules())).toBeNull();
    expect(startedRun(ticket('SCR-1', { status: COMPLETED, airflowRunId: RUN1 }), rules())).toBeNull();
  });

  it('decide: confirm first, then find the run, then adopt it; never a trigger', () => {
    const t = ticket('SCR-1', { status: 'Running', airflowRunId: RUN1 });
    const r = rules();
    expect(decide({ ticket: t, record: null, dagRun: undefined, confirmed: false }, r).kind).toBe('confirm');
    expect(decide({ ticket: t, record: null, dagRun: undefined, confirmed: true }, r)).toEqual({ kind: 'find', dagId: 'scraper_alfabeta', dagRunId: RUN1 });
    const dagRun = { dagId: 'scraper_alfabeta', dagRunId: RUN1, state: 'success' as const, startDate: null, endDate: null };
    expect(decide({ ticket: t, record: null, dagRun, confirmed: true }, r)).toMatchObject({ kind: 'adopt', dagRunId: RUN1, dagRun, request: { source: 'alfabeta' } });
    expect(decide({ ticket: { ...t, labels: ['reconciler-hold'] }, record: null, dagRun: undefined, confirmed: true }, r).kind).toBe('hold');
  });
});

describe('slots counted from Airflow', () => {
  const config = testConfig({ file: { environments: { dev: {}, staging: { maxInFlight: 1 } }, sources: { alfabeta: {}, quebec: { maxInFlight: 2 } } } });
  const run = (dagRunId: string, environment: string, source: string): InFlightRun => ({ dagId: `scraper_${source}`, dagRunId, issueKey: 'SCR-9', environment, source });

  it('a run Airflow has in flight holds its slot, and is not counted twice when its own request asks', async () => {
    let asked = 0;
    const slots = passSlots(config, [], () => {
      asked++;
      return Promise.resolve([run('r1', 'staging', 'quebec')]);
    });
    expect(await slots.take('dev', 'alfabeta', 'r0')).toBe(true);
    expect(asked).toBe(0);
    expect(await slots.take('staging', 'quebec', 'r1')).toBe(true);
    expect(await slots.take('staging', 'quebec', 'r2')).toBe(false);
    expect(await slots.take('dev', 'quebec', 'r3')).toBe(true);
    expect(await slots.take('dev', 'quebec', 'r4')).toBe(false);
    expect(asked).toBe(1);
  });

  it('a run both recorded and in Airflow counts once', async () => {
    const record = { id: 1, state: 'running', environment: 'dev', source: 'quebec', airflowDagRunId: 'r1' } as RunRecord;
    const slots = passSlots(config, [record], () => Promise.resolve([run('r1', 'dev', 'quebec')]));
    expect(await slots.take('dev', 'quebec', 'r2')).toBe(true);
    expect(await slots.take('dev', 'quebec', 'r3')).toBe(false);
  });
});

describe('a lost state file with tickets in the running status', () => {
  afterEach(() => h.cleanup());
  async function triggeredThenLost(file: Record<string, unknown> = RUNNING): Promise<void> {
    h = await passDeps({ file });
    h.jira.add(ticket('SCR-1'));
    await pass();
    expect(h.jira.ticket('SCR-1')).toMatchObject({ status: 'Running', airflowRunId: RUN1 });
    h.clock.advance(10_000);
  }

  it('a run that ended meanwhile: one outcome comment and the move, no late started comment, no trigger', async () => {
    await triggeredThenLost();
    h.airflow.planResult(RUN1, RESULT);
    h.airflow.move(RUN1, 'success');
    await h.loseStateFile('empty');
    const summary = await pass();
    expect(summary.search).toBe('full');
    expect(h.jira.ticket('SCR-1')).toMatchObject({ status: COMPLETED, runStatus: 'success', platformRunId: 'RUN-1' });
    expect(markers('SCR-1')).toEqual([`started:${RUN1}`, `finished:${RUN1}`]);
    expect(h.airflow.triggers).toHaveLength(1);
    expect(h.airflow.duplicateTriggers).toEqual([]);
  });

  it('a live run: adopted, its Run Status kept up, finished in a later steady pass', async () => {
    await triggeredThenLost();
    h.airflow.move(RUN1, 'running');
    await h.loseStateFile();
    await pass();
    expect(h.jira.ticket('SCR-1')).toMatchObject({ status: 'Running', runStatus: 'running' });
    expect(markers('SCR-1')).toEqual([`started:${RUN1}`]);
    h.clock.advance(10_000);
    h.airflow.planResult(RUN1, RESULT);
    h.airflow.move(RUN1, 'success');
    const steady = await pass();
    expect(steady.search).toBe('incremental');
    expect(h.jira.ticket('SCR-1')).toMatchObject({ status: COMPLETED, runStatus: 'success' });
    expect(markers('SCR-1')).toEqual([`started:${RUN1}`, `finished:${RUN1}`]);
    expect(h.airflow.triggers).toHaveLength(1);
  });

  it('a run Airflow no longer has: the ticket fails and says so; nothing is started', async () => {
    await triggeredThenLost();
    h.airflow.runs.delete(`scraper_alfabeta/${RUN1}`);
    await h.loseStateFile();
    await pass();
    expect(h.jira.ticket('SCR-1')).toMatchObject({ status: FAILED, runStatus: 'failed' });
    expect(h.jira.commentsOn('SCR-1').at(-1)?.text).toContain('no longer exists in Airflow');
    expect(h.airflow.triggers).toHaveLength(1);
  });

  it('a retry announced on the ticket: the attempts are rebuilt from Airflow, each run once', async () => {
    await triggeredThenLost({ ...RUNNING, retry: { attempts: 2, delaySeconds: 0 } });
    h.airflow.planResult(RUN1, { kind: 'found', value: { run_id: 'RUN-1', item_count: 0, error: 'portal answered 503' } });
    h.airflow.move(RUN1, 'failed');
    await pass();
    expect(h.jira.ticket('SCR-1')).toMatchObject({ status: 'Running', airflowRunId: `${RUN1}__a2` });
    expect(h.airflow.triggers.map((t) => t.dagRunId)).toEqual([RUN1, `${RUN1}__a2`]);
    h.clock.advance(10_000);
    h.airflow.planResult(`${RUN1}__a2`, RESULT);
    h.airflow.move(`${RUN1}__a2`, 'success');
    await h.loseStateFile();
    await pass();
    expect(h.jira.ticket('SCR-1')).toMatchObject({ status: COMPLETED, runStatus: 'success', airflowRunId: `${RUN1}__a2` });
    expect(h.airflow.triggers.map((t) => t.dagRunId)).toEqual([RUN1, `${RUN1}__a2`]);
    expect(markers('SCR-1')).toEqual([`started:${RUN1}`, `retry:${RUN1}__a2`, `finished:${RUN1}__a2`]);
  });

  it('a ticket someone put in the running status without a run of its request is left alone', async () => {
    h = await passDeps({ file: RUNNING });
    h.jira.add(ticket('SCR-1', { status: 'Running' }), ticket('SCR-2', { status: 'Running', airflowRunId: 'jira__SCR-2__1' }));
    await pass();
    expect(h.jira.writeCount()).toBe(0);
    expect(h.airflow.triggers).toEqual([]);
  });
});

describe('caps after a lost state file', () => {
  afterEach(() => h.cleanup());
  const CAPPED = { ...RUNNING, environments: { dev: {}, staging: { maxInFlight: 1 } } };

  it('the run in flight holds the slot: a new request waits, and starts once that run ended', async () => {
    h = await passDeps({ file: CAPPED });
    h.jira.add(ticket('SCR-1', { environment: 'staging' }));
    await pass();
    h.clock.advance(10_000);
    await h.loseStateFile();
    h.jira.add(ticket('SCR-2', { environment: 'staging', requestId: '10002' }));
    // Asked once by the first full pass (a capped start), once by the first pass on the rebuilt file.
    expect(h.airflow.inFlightQueries).toHaveLength(1);
    const summary = await pass();
    expect(summary.waiting).toBe(1);
    expect(h.airflow.triggers.map((t) => t.conf.jira_issue_key)).toEqual(['SCR-1']);
    expect(h.airflow.inFlightQueries).toHaveLength(2);
    expect(h.jira.ticket('SCR-2').runStatus).toBe('waiting');

    h.clock.advance(10_000);
    h.airflow.planResult(RUN1, RESULT);
    h.airflow.move(RUN1, 'success');
    const steady = await pass();
    expect(steady.search).toBe('incremental');
    expect(h.airflow.inFlightQueries).toHaveLength(2);
    expect(h.jira.ticket('SCR-1').status).toBe(COMPLETED);
    // The slot a run frees is given in the next pass, which counts from the store's records again.
    h.clock.advance(10_000);
    await pass();
    expect(h.airflow.inFlightQueries).toHaveLength(2);
    expect(h.airflow.triggers.map((t) => t.conf.jira_issue_key)).toEqual(['SCR-1', 'SCR-2']);
  });

  it('without a running status: the ticket in flight in Ready to Run is adopted without a slot or a waiting comment', async () => {
    h = await passDeps({ file: { environments: { dev: {}, staging: { maxInFlight: 1 } } } });
    h.jira.add(ticket('SCR-1', { environment: 'staging' }), ticket('SCR-2', { environment: 'staging', requestId: '10002' }));
    await pass();
    expect(h.jira.ticket('SCR-2').runStatus).toBe('waiting');
    h.clock.advance(10_000);
    await h.loseStateFile();
    const summary = await pass();
    expect(summary.adopted).toBe(1);
    expect(summary.waiting).toBe(1);
    expect(h.jira.ticket('SCR-1')).toMatchObject({ status: READY, runStatus: 'queued' });
    expect(markers('SCR-1')).toEqual([`started:${RUN1}`]);
    expect(h.airflow.triggers.map((t) => t.conf.jira_issue_key)).toEqual(['SCR-1']);
  });

  it('a pass that starts nothing under a cap asks Airflow nothing for it', async () => {
    h = await passDeps({ file: CAPPED });
    h.jira.add(ticket('SCR-1', { environment: 'dev' }));
    await pass();
    expect(h.airflow.inFlightQueries).toEqual([]);
  });
});
