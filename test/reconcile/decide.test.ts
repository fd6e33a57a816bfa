import { describe, expect, it } from 'vitest';
import { decide, type Decision, type Situation } from '../../src/reconcile/decide.js';
import { dagRun, record, rules } from './builders.js';
import { CANCELLED, COMPLETED, ticket } from './fakes.js';

const inReady = ticket('SCR-1');
const rerun = ticket('SCR-1', { requestId: '10050' });
const inStatus = (status: string) => ticket('SCR-1', { status });

function situation(overrides: Partial<Situation>): Situation {
  return { ticket: inReady, record: null, dagRun: undefined, confirmed: false, ...overrides };
}

interface Row {
  name: string;
  given: Partial<Situation>;
  then: Partial<Decision> & { kind: Decision['kind'] };
}

function table(rows: Row[]): void {
  it.each(rows.map((row) => [row.name, row] as const))('%s', (_name, row) => {
    expect(decide(situation(row.given), rules())).toMatchObject(row.then);
  });
}

describe('decide: a request not seen before', () => {
  table([
    { name: 'ticket gone → none', given: { ticket: null }, then: { kind: 'none' } },
    { name: 'ticket not in Ready → none', given: { ticket: inStatus('In Progress'), confirmed: true }, then: { kind: 'none' } },
    { name: 'in Ready, seen only in search → confirm', given: { confirmed: false }, then: { kind: 'confirm' } },
    { name: 'status compared without case or spaces', given: { ticket: inStatus(' ready to run '), confirmed: true }, then: { kind: 'trigger' } },
  ]);

  it('a confirmed valid ticket is triggered with the deterministic run id and the exact conf', () => {
    const decision = decide(situation({ confirmed: true, ticket: ticket('SCR-7', { paramsText: '{"limit": 5, "brands": ["a"]}', environment: 'prod' }) }), rules());
    expect(decision).toEqual({
      kind: 'trigger',
      request: { source: 'alfabeta', runType: 'DELTA', environment: 'prod', params: { limit: 5, brands: ['a'] } },
      dagId: 'scraper_alfabeta',
      dagRunId: 'jira__SCR-7__10001',
      conf: { jira_issue_key: 'SCR-7', source: 'alfabeta', run_type: 'DELTA', params: { limit: 5, brands: ['a'] }, environment: 'prod' },
      checkDag: true,
    });
  });

  it('a ticket created directly in Ready gets the run id of its `created` request', () => {
    const decision = decide(situation({ confirmed: true, ticket: ticket('SCR-8', { requestId: 'created' }) }), rules());
    expect(decision).toMatchObject({ kind: 'trigger', dagRunId: 'jira__SCR-8__created' });
  });

  it('an invalid ticket is rejected with a problem for each bad field', () => {
    const bad = ticket('SCR-1', { source: 'mars', runType: null, environment: 'qa', paramsText: '[1]' });
    const decision = decide(situation({ confirmed: true, ticket: bad }), rules());
    expect(decision.kind).toBe('reject');
    const problems = decision.kind === 'reject' ? decision.problems : [];
    expect(problems.map((p) => [p.field, p.reason])).toEqual([
      ['Source', 'unknown_source'],
      ['Run Type', 'missing_field'],
      ['Environment', 'environment_not_allowed'],
      ['Parameters', 'bad_params'],
    ]);
  });

  it('an invalid ticket seen only in search is confirmed before it is rejected', () => {
    expect(decide(situation({ ticket: ticket('SCR-1', { source: null }) }), rules()).kind).toBe('confirm');
  });
});

describe('decide: a request in flight', () => {
  table([
    {
      name: 'pending (intent recorded, trigger unconfirmed) → trigger again without the DAG check',
      given: { record: record({ state: 'pending', jiraPhase: 'none', startedAt: null }) },
      then: {
        kind: 'trigger',
        dagId: 'scraper_alfabeta',
        dagRunId: 'jira__SCR-1__10001',
        conf: { jira_issue_key: 'SCR-1', source: 'alfabeta', run_type: 'DELTA', params: { limit: 100 }, environment: 'dev' },
        checkDag: false,
      },
    },
    {
      name: 'pending, the ticket has left Ready, run not looked up yet → poll',
      given: { ticket: inStatus('To Do'), record: record({ state: 'pending', jiraPhase: 'none', startedAt: null }) },
      then: { kind: 'poll' },
    },
    {
      name: 'pending, the ticket has left Ready, no run in Airflow → abandon (start nothing)',
      given: { ticket: inStatus('To Do'), record: record({ state: 'pending', jiraPhase: 'none', startedAt: null }), dagRun: null },
      then: { kind: 'abandon' },
    },
    {
      name: 'pending, the ticket has left Ready, the run did start → trigger again to adopt it (409)',
      given: { ticket: inStatus('To Do'), record: record({ state: 'pending', jiraPhase: 'none', startedAt: null }), dagRun: dagRun('running') },
      then: { kind: 'trigger', checkDag: false },
    },
    {
      name: 'pending whose params cannot be read back → lost',
      given: { record: record({ state: 'pending', params: 'not json' }) },
      then: { kind: 'lost', writeJira: true, move: true },
    },
    { name: 'queued, DAG run not looked up yet → poll', given: { record: record({ state: 'queued' }) }, then: { kind: 'poll' } },
    {
      name: 'queued, Jira not told yet → announce',
      given: { record: record({ state: 'queued', jiraPhase: 'none' }), dagRun: dagRun('queued') },
      then: { kind: 'announce', writeJira: true },
    },
    {
      name: 'running, Jira not told yet → announce',
      given: { record: record({ state: 'running', jiraPhase: 'none' }), dagRun: dagRun('running') },
      then: { kind: 'announce', writeJira: true },
    },
    {
      name: 'queued → running → progress',
      given: { record: record({ state: 'queued' }), dagRun: dagRun('running') },
      then: { kind: 'progress', writeJira: true },
    },
    { name: 'running, still running → wait', given: { record: record(), dagRun: dagRun('running') }, then: { kind: 'wait' } },
    { name: 'queued, still queued → wait', given: { record: record({ state: 'queued' }), dagRun: dagRun('queued') }, then: { kind: 'wait' } },
    {
      name: 'success, ticket in Ready for this request → finish and move',
      given: { record: record(), dagRun: dagRun('success') },
      then: { kind: 'finish', writeJira: true, move: true },
    },
    {
      name: 'failed, ticket in Ready for this request → finish and move',
      given: { record: record(), dagRun: dagRun('failed') },
      then: { kind: 'finish', writeJira: true, move: true },
    },
    {
      name: 'success, a person moved the ticket elsewhere → finish, no move',
      given: { ticket: inStatus('In Progress'), record: record(), dagRun: dagRun('success') },
      then: { kind: 'finish', writeJira: true, move: false },
    },
    {
      name: 'success, ticket deleted → finish, nothing written to Jira',
      given: { ticket: null, record: record(), dagRun: dagRun('success') },
      then: { kind: 'finish', writeJira: false, move: false },
    },
    {
      name: 'run lost in Airflow → lost',
      given: { record: record(), dagRun: null },
      then: { kind: 'lost', writeJira: true, move: true },
    },
    {
      name: 'ticket cancelled while the run is live → stop',
      given: { ticket: inStatus(CANCELLED), record: record(), dagRun: dagRun('running'), confirmed: true },
      then: { kind: 'stop' },
    },
    {
      name: 'ticket cancelled while pending → stop',
      given: { ticket: inStatus(CANCELLED), record: record({ state: 'pending' }), confirmed: true },
      then: { kind: 'stop' },
    },
    {
      name: 'ticket cancelled, seen only in search → confirm before stopping anything',
      given: { ticket: inStatus(CANCELLED), record: record(), dagRun: dagRun('running'), confirmed: false },
      then: { kind: 'confirm' },
    },
    {
      name: 'ticket cancelled after the run ended → finish with its real outcome, no move',
      given: { ticket: inStatus(CANCELLED), record: record(), dagRun: dagRun('success') },
      then: { kind: 'finish', writeJira: true, move: false },
    },
  ]);
});

describe('decide: the ticket stands for a newer request (re-run while the old one is in flight)', () => {
  table([
    {
      name: 'old run starts → announce nowhere',
      given: { ticket: rerun, record: record({ state: 'queued', jiraPhase: 'none' }), dagRun: dagRun('queued') },
      then: { kind: 'announce', writeJira: false },
    },
    {
      name: 'old run progresses → progress nowhere',
      given: { ticket: rerun, record: record({ state: 'queued' }), dagRun: dagRun('running') },
      then: { kind: 'progress', writeJira: false },
    },
    {
      name: 'old run ends → finish nowhere',
      given: { ticket: rerun, record: record(), dagRun: dagRun('success') },
      then: { kind: 'finish', writeJira: false, move: false },
    },
    {
      name: 'old run lost → lost nowhere',
      given: { ticket: rerun, record: record(), dagRun: null },
      then: { kind: 'lost', writeJira: false, move: false },
    },
    {
      name: 'old final write pending → write-final nowhere',
      given: { ticket: rerun, record: record({ state: 'success', jiraPhase: 'started' }) },
      then: { kind: 'write-final', writeJira: false, move: false },
    },
  ]);
});

describe('decide: a finished request', () => {
  table([
    {
      name: 'final write not done, ticket in Ready → write-final and move',
      given: { record: record({ state: 'success', jiraPhase: 'started' }) },
      then: { kind: 'write-final', writeJira: true, move: true },
    },
    {
      name: 'invalid, nothing written yet → write-final and move',
      given: { record: record({ state: 'invalid', jiraPhase: 'none' }) },
      then: { kind: 'write-final', writeJira: true, move: true },
    },
    {
      name: 'final write not done, ticket already elsewhere → write-final, no move',
      given: { ticket: inStatus(COMPLETED), record: record({ state: 'failed', jiraPhase: 'started' }) },
      then: { kind: 'write-final', writeJira: true, move: false },
    },
    {
      name: 'done and the ticket moved on → none',
      given: { ticket: inStatus(COMPLETED), record: record({ state: 'success', jiraPhase: 'finished' }) },
      then: { kind: 'none' },
    },
    {
      name: 'done, ticket gone → none',
      given: { ticket: null, record: record({ state: 'success', jiraPhase: 'finished' }) },
      then: { kind: 'none' },
    },
    {
      name: 'done, a (stale) search still shows it in Ready → confirm',
      given: { record: record({ state: 'success', jiraPhase: 'finished' }), confirmed: false },
      then: { kind: 'confirm' },
    },
    {
      name: 'done, the direct read still shows it in Ready → write-final again (the move did not land)',
      given: { record: record({ state: 'success', jiraPhase: 'finished' }), confirmed: true },
      then: { kind: 'write-final', writeJira: true, move: true },
    },
    {
      name: 'done, the direct read shows it completed → none',
      given: { ticket: inStatus(COMPLETED), record: record({ state: 'success', jiraPhase: 'finished' }), confirmed: true },
      then: { kind: 'none' },
    },
    {
      name: 'done, the ticket is in Ready for a newer request → none for this one',
      given: { ticket: rerun, record: record({ state: 'success', jiraPhase: 'finished' }), confirmed: true },
      then: { kind: 'none' },
    },
    {
      name: 'cancelled and not written → write-final, no move (cancelled is where the person put it)',
      given: { ticket: inStatus(CANCELLED), record: record({ state: 'cancelled', jiraPhase: 'started' }) },
      then: { kind: 'write-final', writeJira: true, move: false },
    },
  ]);

  it('a finished request is never triggered again, whatever the ticket shows', () => {
    for (const state of ['success', 'failed', 'cancelled', 'invalid'] as const) {
      for (const t of [inReady, rerun, inStatus(COMPLETED), null]) {
        for (const confirmed of [true, false]) {
          const kind = decide(situation({ ticket: t, record: record({ state, jiraPhase: 'finished' }), confirmed }), rules()).kind;
          expect(kind).not.toBe('trigger');
        }
      }
    }
  });
});
