import { describe, expect, it } from 'vitest';
import { moveFate, sameAccount } from '../../src/jira/move-fate.js';
import type { Account, History } from '../../src/jira/schema.js';

const US: Account = { accountId: '712020:bot' };
const PERSON: Account = { accountId: '5b10a2844c20165700ede21g' };
const READY = 'Ready to Run';
const COMPLETED = 'Completed';

function move(id: string, created: string, author: Account | null, to: string): History {
  return { id, created, author, items: [{ field: 'status', toText: to }] };
}

const request = move('100', '2025-01-05T10:00:00.000+0000', PERSON, READY);
const question = { requestId: '100', readyStatus: READY, target: COMPLETED, self: US };

describe('moveFate: what the changelog says of a move whose answer was lost', () => {
  it('our move to the status after the request: landed, the ticket still stands for the request', () => {
    const histories = [request, move('101', '2025-01-05T10:05:00.000+0000', US, COMPLETED)];
    expect(moveFate(histories, COMPLETED, question)).toEqual({ landed: true, requestId: '100', status: COMPLETED });
  });

  it('our move landed and a person moved the ticket back to Ready to Run since: landed, and a newer request', () => {
    const histories = [request, move('101', '2025-01-05T10:05:00.000+0000', US, COMPLETED), move('102', '2025-01-05T10:05:00.300+0000', PERSON, READY)];
    expect(moveFate(histories, READY, question)).toEqual({ landed: true, requestId: '102', status: READY });
  });

  it('no move to the status since the request: not landed, same request', () => {
    const histories = [request, move('101', '2025-01-05T10:05:00.000+0000', US, 'Running')];
    expect(moveFate(histories, 'Running', question)).toEqual({ landed: false, requestId: '100', status: 'Running' });
  });

  it("a person's move to the status is not ours", () => {
    const histories = [request, move('101', '2025-01-05T10:05:00.000+0000', PERSON, COMPLETED)];
    expect(moveFate(histories, COMPLETED, question).landed).toBe(false);
  });

  it("our move of an earlier request does not count for this one", () => {
    const histories = [move('90', '2025-01-04T10:00:00.000+0000', US, COMPLETED), request];
    expect(moveFate(histories, READY, question)).toEqual({ landed: false, requestId: '100', status: READY });
  });

  it('a change with no author (an automation, say) is not ours', () => {
    const histories = [request, move('101', '2025-01-05T10:05:00.000+0000', null, COMPLETED)];
    expect(moveFate(histories, COMPLETED, question).landed).toBe(false);
  });

  it('compares status names without case, as the moves are looked up', () => {
    const histories = [request, move('101', '2025-01-05T10:05:00.000+0000', US, 'COMPLETED')];
    expect(moveFate(histories, COMPLETED, question).landed).toBe(true);
  });

  it('a request made by creating the ticket in Ready to Run: any move of ours counts, and a later move into Ready is a newer request', () => {
    const histories = [move('101', '2025-01-05T10:05:00.000+0000', US, COMPLETED), move('102', '2025-01-05T10:06:00.000+0000', PERSON, READY)];
    expect(moveFate(histories, READY, { ...question, requestId: 'created' })).toEqual({ landed: true, requestId: '102', status: READY });
  });

  it('orders by changelog id when the request entry is not among the histories read', () => {
    const histories = [move('101', '2025-01-05T10:05:00.000+0000', US, COMPLETED), move('102', '2025-01-05T10:06:00.000+0000', PERSON, READY)];
    expect(moveFate(histories, READY, question).landed).toBe(true);
    expect(moveFate(histories, READY, { ...question, requestId: '101' }).landed).toBe(false);
  });

  it('entries at the same instant as the request are ordered by id', () => {
    const histories = [request, move('101', request.created, US, COMPLETED)];
    expect(moveFate(histories, COMPLETED, question).landed).toBe(true);
  });
});

describe('sameAccount', () => {
  it('Cloud: by accountId', () => {
    expect(sameAccount({ accountId: '712020:bot' }, US)).toBe(true);
    expect(sameAccount({ accountId: '712020:other', name: 'bot' }, US)).toBe(false);
  });

  it('Data Center: by key, or by name', () => {
    const self = { name: 'bot', key: 'JIRAUSER10000' };
    expect(sameAccount({ name: 'renamed', key: 'JIRAUSER10000' }, self)).toBe(true);
    expect(sameAccount({ name: 'bot' }, self)).toBe(true);
    expect(sameAccount({ name: 'pat', key: 'JIRAUSER10001' }, self)).toBe(false);
  });

  it('an account we cannot name matches nobody', () => {
    expect(sameAccount({ accountId: 'x', name: 'y' }, {})).toBe(false);
    expect(sameAccount(undefined, US)).toBe(false);
  });
});
