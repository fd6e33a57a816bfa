import { describe, expect, it } from 'vitest';
import { passSlices, perMinute } from '../../src/bench/pass-slices.js';
import { latencies, ticketTimes } from '../../src/bench/ticket-times.js';
import type { LoggedExchange } from '../../src/sandbox/common/request-log.js';
import type { History } from '../../src/sandbox/jira/model.js';

const PERSON = { accountId: 'p', displayName: 'Person', emailAddress: 'p@example.com' };

function move(created: number, from: string, to: string): History {
  return { id: String(created), author: PERSON, created, items: [{ field: 'status', fieldtype: 'jira', fieldId: 'status', from: null, fromString: from, to: null, toString: to }] };
}

function edit(created: number): History {
  return { id: String(created), author: PERSON, created, items: [{ field: 'Run Status', fieldtype: 'custom', fieldId: 'customfield_run_status', from: null, fromString: null, to: null, toString: 'queued' }] };
}

function exchange(method: string, path: string, at: number): LoggedExchange {
  return { method, path, query: '', requestBody: undefined, status: 200, responseBody: undefined, route: path, at };
}

describe('ticket times from the simulators’ records', () => {
  it('takes the last move into Ready, the first run created, its end, and the first final move after Ready', () => {
    const histories = [move(1_000, 'Open', 'Ready to Run'), move(2_000, 'Ready to Run', 'Completed'), move(10_000, 'Completed', 'Ready to Run'), edit(12_000), move(40_000, 'Ready to Run', 'Failed - Needs Investigation')];
    const runs = [
      { queuedAt: 25_000, endDate: 35_000 },
      { queuedAt: 22_000, endDate: 32_000 },
    ];
    expect(ticketTimes(histories, runs)).toEqual({ readyAt: 10_000, runCreatedAt: 22_000, runEndedAt: 32_000, finalAt: 40_000 });
  });

  it('a ticket not yet picked up or not yet final counts in neither latency it has not reached', () => {
    const waiting = ticketTimes([move(1_000, 'Open', 'Ready to Run')], []);
    const running = ticketTimes([move(1_000, 'Open', 'Ready to Run')], [{ queuedAt: 4_000, endDate: null }]);
    const done = ticketTimes([move(0, 'Open', 'Ready to Run'), move(50_000, 'Ready to Run', 'Completed')], [{ queuedAt: 15_000, endDate: 26_000 }]);
    expect(latencies([waiting, running, done])).toEqual({ pickupMs: [3_000, 15_000], runEndMs: [24_000] });
  });
});

describe('pass slices', () => {
  it('gives each pass the requests logged between the completion before it and its own, and when its first arrived', () => {
    const jira = [exchange('POST', '/search', 100), exchange('PUT', '/issue/SCR-1', 150), exchange('POST', '/search', 30_100), exchange('POST', '/search', 60_100)];
    const airflow = [exchange('POST', '/dags/x/dagRuns', 120), exchange('POST', '/dags/~/dagRuns/list', 30_050)];
    const slices = passSlices(jira, airflow, { jira: 0, airflow: 0 }, [
      { jira: 2, airflow: 1 },
      { jira: 3, airflow: 2 },
      { jira: 4, airflow: 2 },
      { jira: 4, airflow: 2 },
    ]);
    expect(slices.map((s) => [s.startedAt, s.jira.total, s.airflow.total, s.total])).toEqual([
      [100, 2, 1, 3],
      [30_050, 1, 1, 2],
      [60_100, 1, 0, 1],
      [null, 0, 0, 0],
    ]);
  });

  it('rates requests a minute over the time the passes took', () => {
    expect(perMinute(2, 60_000)).toBe(2);
    expect(perMinute(4, 61_500)).toBe(3.9);
    expect(perMinute(3, 0)).toBe(0);
  });
});
