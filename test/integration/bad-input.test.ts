import { describe, expect, it } from 'vitest';
import type { PassSummary } from '../../src/reconcile/summary.js';
import { writes } from './requests.js';
import { FAILED, readyTicket, view, type Request } from './tickets.js';
import { useWorld } from './world.js';

const CONFIG = `
sources:
  alfabeta:
    paramsSchema:
      type: object
      properties:
        since: { type: string, format: date }
        limit: { type: integer, minimum: 1 }
      additionalProperties: false
  quebec: {}
  lafa: {}
`;

interface BadKind {
  name: string;
  request: Request;
  omit?: Array<keyof Request>;
  /** Each bad field the comment must name, with a phrase of what is wrong or expected. */
  expected: Array<[field: string, says: RegExp]>;
}

const KINDS: BadKind[] = [
  { name: 'a missing field', request: {}, omit: ['runType'], expected: [['Run Type', /is empty; expected one of FULL_REFRESH, DELTA, SINGLE_PRODUCT/]] },
  { name: 'an unknown source', request: { source: 'atlantis' }, expected: [['Source', /"atlantis" is not allowed; expected one of alfabeta, quebec, lafa/]] },
  { name: 'an unknown run type', request: { runType: 'WEEKLY' }, expected: [['Run Type', /"WEEKLY" is not allowed/]] },
  { name: 'an environment not allowed', request: { environment: 'qa' }, expected: [['Environment', /"qa" is not allowed; expected one of dev, staging, prod/]] },
  { name: 'Parameters not JSON', request: { params: '{"limit": 10,' }, expected: [['Parameters', /is not valid JSON/]] },
  { name: 'Parameters a JSON array', request: { params: '[1, 2]' }, expected: [['Parameters', /is an array, not an object/]] },
  {
    name: "Parameters failing the source's schema",
    request: { source: 'alfabeta', params: { since: 'yesterday', limit: 0, colour: 'red' } },
    expected: [['Parameters', /`since` must be a date \(YYYY-MM-DD\), not "yesterday"/], ['Parameters', /`limit` must be a whole number ≥ 1, not 0/], ['Parameters', /`colour` is not a known parameter/]],
  },
  {
    name: 'two bad fields at once',
    request: { source: 'quebec', environment: 'qa', runType: 'WEEKLY' },
    expected: [['Environment', /"qa"/], ['Run Type', /"WEEKLY"/]],
  },
];

describe('tickets with bad input', () => {
  let extra: Record<string, string>;
  let first: PassSummary;
  const keys = new Map<string, string>();
  let valid: string;

  const world = useWorld({}, async (world) => {
    extra = { RECONCILER_CONFIG: world.configFile('config.yaml', CONFIG) };
    for (const kind of KINDS) keys.set(kind.name, readyTicket(world.jira, { ...kind.request, summary: kind.name }, kind.omit ? { omit: kind.omit } : {}));
    valid = readyTicket(world.jira, { source: 'alfabeta', params: { since: '2026-11-01', limit: 10 } });
    first = await world.pass([], extra);
  });

  it.each(KINDS)('$name: one comment naming each bad field, Run Status invalid, Failed, no DAG run', (kind) => {
    const key = keys.get(kind.name)!;
    const ticket = view(world.jira, key);
    expect(ticket).toMatchObject({ status: FAILED, runStatus: 'invalid', airflowRunId: null });
    expect(ticket.comments).toHaveLength(1);
    for (const [field, says] of kind.expected) {
      const line = ticket.comments[0]!.split('\n').find((l) => l.startsWith(`${field}: `) && says.test(l));
      expect(line, `the comment says ${field} ${String(says)}:\n${ticket.comments[0]}`).toBeDefined();
    }
    expect(world.airflow.runs().filter((run) => run.conf.jira_issue_key === key)).toEqual([]);
    expect(first.tickets.find((t) => t.issue === key)?.outcome).toBe('rejected');
  });

  it('a valid ticket that fits the schema is triggered in the same pass', () => {
    expect(first.rejected).toBe(KINDS.length);
    expect(first.triggered).toBe(1);
    expect(world.airflow.runs().map((run) => run.conf.jira_issue_key)).toEqual([valid]);
  });

  it('more passes add no comment and write nothing to the rejected tickets', async () => {
    world.jira.log.clear();
    await world.pass(['--full'], extra);

    const rejected = [...keys.values()];
    const touched = writes(world.jira.log.entries).filter((line) => rejected.some((key) => line.includes(`/${key}/`) || line.endsWith(`/${key}`)));
    expect(touched).toEqual([]);
    for (const key of rejected) expect(view(world.jira, key).comments).toHaveLength(1);
  });

  it('a rejected ticket moved back to Ready to Run unchanged is not commented on again', async () => {
    const key = keys.get('an unknown source')!;
    world.jira.moveIssue(key, 'Ready to Run');
    await world.pass([], extra);

    const ticket = view(world.jira, key);
    expect(ticket.comments).toHaveLength(1);
    expect(ticket).toMatchObject({ status: FAILED, runStatus: 'invalid' });
    expect(world.airflow.runs().filter((run) => run.conf.jira_issue_key === key)).toEqual([]);
  });
});
