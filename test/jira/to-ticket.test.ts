import { describe, expect, it } from 'vitest';
import { FileConfig } from '../../src/config/schema.js';
import { Issue } from '../../src/jira/schema.js';
import { isChangelogTruncated, selectValue, textValue, toTicket } from '../../src/jira/to-ticket.js';
import { adfDoc, rawIssue, statusChange } from './helpers.js';

const fieldIds = FileConfig.parse({}).jira.fields;

function ticketOf(raw: Record<string, unknown>) {
  return toTicket(Issue.parse(raw), fieldIds, 'Ready to Run');
}

describe('selectValue', () => {
  it.each([
    ['an option object', { self: 'x', id: '10', value: 'quebec' }, 'quebec'],
    ['a plain string', 'lafa', 'lafa'],
    ['an array of one option', [{ id: '1', value: 'prod' }], 'prod'],
    ['an array of one string', ['dev'], 'dev'],
    ['an array of two (ambiguous)', [{ value: 'a' }, { value: 'b' }], null],
    ['null', null, null],
    ['an empty string', '', null],
    ['a number', 3, null],
  ])('reads %s', (_name, input, expected) => {
    expect(selectValue(input)).toBe(expected);
  });
});

describe('textValue', () => {
  it.each([
    ['a string', 'manual__2025', 'manual__2025'],
    ['an ADF document', adfDoc(['{"a": 1}', '']), '{"a": 1}\n'],
    ['an empty ADF document', adfDoc([]), null],
    ['an ADF document of blank paragraphs', adfDoc(['', ' ']), null],
    ['null', null, null],
    ['blank text', '   ', null],
  ])('reads %s', (_name, input, expected) => {
    expect(textValue(input)).toBe(expected);
  });
});

describe('toTicket', () => {
  it('normalises the fields the reconciler reads', () => {
    const ticket = ticketOf(
      rawIssue('SCR-7', {
        id: '10007',
        fields: {
          customfield_source: 'quebec',
          customfield_params: adfDoc(['{', '  "since": "2025-01-01"', '}']),
          customfield_airflow_run_id: 'jira__SCR-7__1',
          customfield_run_status: { value: 'running' },
          customfield_run_id: 'RUN-1',
        },
      }),
    );
    expect(ticket).toMatchObject({
      key: 'SCR-7',
      id: '10007',
      status: 'Ready to Run',
      updated: '2025-01-05T11:58:00.000Z',
      source: 'quebec',
      runType: 'DELTA',
      environment: 'staging',
      airflowRunId: 'jira__SCR-7__1',
      runStatus: 'running',
      platformRunId: 'RUN-1',
    });
    expect(JSON.parse(ticket.paramsText ?? '')).toEqual({ since: '2025-01-01' });
  });

  it("reads the Summary, for the notifications", () => {
    expect(ticketOf(rawIssue('SCR-7', { fields: { summary: 'Scrape quebec' } })).summary).toBe('Scrape quebec');
    expect(ticketOf(rawIssue('SCR-8')).summary).toBeNull();
  });

  it('takes the newest move into Ready as the request, whatever order the histories come in', () => {
    const ticket = ticketOf(
      rawIssue('SCR-1', {
        histories: [
          statusChange('300', '2025-01-03T10:00:00.000+0000', 'Completed', 'ready to run'),
          statusChange('100', '2025-01-01T10:00:00.000+0000', 'Open', 'Ready to Run'),
          statusChange('400', '2025-01-04T10:00:00.000+0000', 'Ready to Run', 'In Progress'),
          { id: '500', created: '2025-01-05T10:00:00.000+0000', items: [{ field: 'Run Status', toString: 'Ready to Run' }] },
        ],
      }),
    );
    expect(ticket.requestId).toBe('300');
    expect(ticket.requestedAt).toBe('2025-01-03T10:00:00.000Z');
  });

  it('uses `created` when the ticket was created directly in Ready (no status entry)', () => {
    const ticket = ticketOf(rawIssue('SCR-2', { histories: [statusChange('9', '2025-01-04T10:00:00.000+0000', 'Open', 'Backlog')] }));
    expect(ticket.requestId).toBe('created');
    expect(ticket.requestedAt).toBe('2025-01-04T09:00:00.000Z');
  });

  it('reads a change item without toString', () => {
    const ticket = ticketOf(rawIssue('SCR-3', { histories: [{ id: '1', created: '2025-01-04T10:00:00.000+0000', items: [{ field: 'status' }] }] }));
    expect(ticket.requestId).toBe('created');
  });
});

describe('isChangelogTruncated', () => {
  it('is true when Jira holds more histories than it embedded', () => {
    const histories = [statusChange('1', '2025-01-01T00:00:00.000+0000', 'Open', 'Ready to Run')];
    expect(isChangelogTruncated(Issue.parse(rawIssue('SCR-1', { histories, total: 150 })).changelog)).toBe(true);
    expect(isChangelogTruncated(Issue.parse(rawIssue('SCR-1', { histories })).changelog)).toBe(false);
    expect(isChangelogTruncated(undefined)).toBe(false);
  });
});
