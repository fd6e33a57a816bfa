import { beforeEach, describe, expect, it } from 'vitest';
import { JiraCatalog } from '../../../src/sandbox/jira/catalog.js';
import { JqlError, runJql } from '../../../src/sandbox/jira/jql/search.js';
import { PERSON } from '../../../src/sandbox/jira/model.js';
import { JiraState } from '../../../src/sandbox/jira/state.js';

const T0 = Date.UTC(2026, 0, 5, 10, 0, 30);

describe('JQL evaluator', () => {
  let now: number;
  let state: JiraState;

  function keys(jql: string): string[] {
    return runJql(jql, state.all(), { projects: state.projects, now, issueExists: (key) => state.get(key) !== undefined, catalog: state.catalog }).map((issue) => issue.key);
  }

  function errorOf(jql: string): string[] {
    try {
      keys(jql);
    } catch (error) {
      if (error instanceof JqlError) return error.messages;
      throw error;
    }
    throw new Error(`expected ${jql} to be refused`);
  }

  beforeEach(() => {
    now = T0;
    state = new JiraState(['SCR', 'OPS'], () => now, 0, () => 'http://sim', new JiraCatalog('full'));
    state.create({ summary: 'Scrape alfabeta prices', status: 'Ready to Run', source: 'alfabeta', runType: 'DELTA', environment: 'dev', params: { sku: 'A1' } }); // SCR-1 created 10:00:30
    now += 60_000;
    state.create({ summary: 'Quebec full refresh', status: 'To Do', source: 'quebec', runType: 'FULL_REFRESH' }); // SCR-2 10:01:30
    now += 60_000;
    state.create({ summary: 'No source yet', status: 'Completed' }); // SCR-3 10:02:30
    now += 60_000;
    state.create({ project: 'OPS', summary: 'Ops ticket', status: 'Ready to Run', source: 'lafa' }); // OPS-1 10:03:30
    now = T0 + 10 * 60_000;
  });

  it('compares status with = and != (case-insensitive names, quoted and unquoted)', () => {
    expect(keys('status = "Ready to Run" ORDER BY key')).toEqual(['OPS-1', 'SCR-1']);
    expect(keys("status = 'ready to run' AND project = SCR")).toEqual(['SCR-1']);
    expect(keys('project = SCR AND status != Completed ORDER BY key ASC')).toEqual(['SCR-1', 'SCR-2']);
  });

  it('supports IN and NOT IN', () => {
    expect(keys('project IN (SCR, OPS) AND status IN ("To Do", Completed) ORDER BY key')).toEqual(['SCR-2', 'SCR-3']);
    expect(keys('project = SCR AND status NOT IN ("To Do", Completed)')).toEqual(['SCR-1']);
  });

  it('combines AND, OR, NOT and parentheses with AND binding tighter', () => {
    expect(keys('project = OPS OR project = SCR AND status = Completed ORDER BY key')).toEqual(['OPS-1', 'SCR-3']);
    expect(keys('(project = OPS OR project = SCR) AND status = Completed')).toEqual(['SCR-3']);
    expect(keys('project = SCR AND NOT status = Completed ORDER BY key')).toEqual(['SCR-1', 'SCR-2']);
    expect(keys('project = SCR AND NOT (status = Completed OR status = "To Do")')).toEqual(['SCR-1']);
  });

  it('reads custom fields by id, by quoted name and by cf[N]; != never matches an empty field', () => {
    expect(keys('customfield_source = alfabeta')).toEqual(['SCR-1']);
    expect(keys('"Source" = quebec')).toEqual(['SCR-2']);
    expect(keys('cf[10002] = FULL_REFRESH')).toEqual(['SCR-2']);
    expect(keys('project = SCR AND "Source" != alfabeta')).toEqual(['SCR-2']);
    expect(keys('project = SCR AND "Source" NOT IN (alfabeta)')).toEqual(['SCR-2']);
  });

  it('supports IS EMPTY and IS NOT EMPTY (and = EMPTY)', () => {
    expect(keys('project = SCR AND "Source" IS EMPTY')).toEqual(['SCR-3']);
    expect(keys('project = SCR AND customfield_source IS NOT EMPTY ORDER BY key')).toEqual(['SCR-1', 'SCR-2']);
    expect(keys('project = SCR AND "Run Status" = EMPTY ORDER BY key')).toEqual(['SCR-1', 'SCR-2', 'SCR-3']);
    expect(keys('project = SCR AND "Run Status" IS NULL AND customfield_run_id IS EMPTY')).toHaveLength(3);
  });

  it('matches text with ~ and !~, and refuses = on a text field as Jira does', () => {
    expect(keys('summary ~ refresh')).toEqual(['SCR-2']);
    expect(keys('project = SCR AND summary !~ refresh ORDER BY key')).toEqual(['SCR-1', 'SCR-3']);
    expect(keys('"Parameters" ~ "A1"')).toEqual(['SCR-1']);
    expect(errorOf('summary = "Quebec full refresh"')[0]).toContain("operator '=' is not supported by the 'Summary' field");
  });

  it('compares dates against literals in all three formats with minute precision', () => {
    expect(keys('created >= "2026-01-05 10:01" ORDER BY key')).toEqual(['OPS-1', 'SCR-2', 'SCR-3']);
    expect(keys('created >= "2026/01/05 10:01" ORDER BY key')).toEqual(['OPS-1', 'SCR-2', 'SCR-3']);
    // A minute literal covers its whole minute: '> 10:01' starts at 10:02, so SCR-2 (10:01:30) is out.
    expect(keys('created > "2026-01-05 10:01" ORDER BY key')).toEqual(['OPS-1', 'SCR-3']);
    expect(keys('project = SCR AND created < "2026-01-05 10:01"')).toEqual(['SCR-1']);
    expect(keys('project = SCR AND created <= "2026-01-05 10:01" ORDER BY key')).toEqual(['SCR-1', 'SCR-2']);
    expect(keys('created = "2026-01-05 10:02"')).toEqual(['SCR-3']);
    expect(keys('project = SCR AND created = "2026-01-05" ORDER BY key')).toEqual(['SCR-1', 'SCR-2', 'SCR-3']);
    expect(keys('project = SCR AND created != "2026-01-05 10:02" ORDER BY key')).toEqual(['SCR-1', 'SCR-2']);
    expect(keys('project = SCR AND created >= 2026/01/06')).toEqual([]);
  });

  it('resolves relative dates (-5m, -2h, -1d, -1w) against now', () => {
    now = T0 + 8 * 60_000; // 10:08:30
    expect(keys('created >= -6m ORDER BY key')).toEqual(['OPS-1', 'SCR-3']);
    expect(keys('project = SCR AND updated >= -2h')).toHaveLength(3);
    now = T0 + 2 * 86_400_000;
    expect(keys('project = SCR AND updated >= -1d')).toEqual([]);
    expect(keys('project = SCR AND updated >= -1w')).toHaveLength(3);
    expect(keys('project = SCR AND updated > now()')).toEqual([]);
  });

  it('sees updated move when an issue changes', () => {
    now = T0 + 30 * 60_000;
    const issue = state.get('SCR-2');
    if (!issue) throw new Error('missing SCR-2');
    state.move(issue, 'Ready to Run', PERSON);
    expect(keys('project = SCR AND updated >= -1m')).toEqual(['SCR-2']);
  });

  it('compares keys by =, IN and ranges within a project', () => {
    expect(keys('key = SCR-2')).toEqual(['SCR-2']);
    expect(keys('issuekey IN (SCR-1, OPS-1) ORDER BY key')).toEqual(['OPS-1', 'SCR-1']);
    expect(keys('key > SCR-1 ORDER BY key')).toEqual(['SCR-2', 'SCR-3']);
    expect(keys('project = SCR AND key != SCR-1 ORDER BY key DESC')).toEqual(['SCR-3', 'SCR-2']);
    expect(errorOf('key IN (SCR-1, SCR-99)')).toEqual(["An issue with key 'SCR-99' does not exist for field 'key'."]);
  });

  it('orders by several keys, EMPTY last in ascending order', () => {
    expect(keys('project = SCR ORDER BY status ASC, key DESC')).toEqual(['SCR-2', 'SCR-1', 'SCR-3']);
    expect(keys('project = SCR ORDER BY "Source" ASC')).toEqual(['SCR-1', 'SCR-2', 'SCR-3']);
    expect(keys('project = SCR ORDER BY created DESC')).toEqual(['SCR-3', 'SCR-2', 'SCR-1']);
    expect(keys('project in (SCR, OPS) ORDER BY project ASC, created ASC')).toEqual(['OPS-1', 'SCR-1', 'SCR-2', 'SCR-3']);
  });

  it('refuses unbounded queries', () => {
    expect(errorOf('')[0]).toContain('Unbounded JQL');
    expect(errorOf('ORDER BY created DESC')[0]).toContain('Unbounded JQL');
  });

  it('refuses unparsable queries with a message naming the problem', () => {
    expect(errorOf('project = ')[0]).toContain('Expecting a value but got the end of the query');
    expect(errorOf('project SCR')[0]).toContain("Expecting an operator");
    expect(errorOf('(project = SCR')[0]).toContain("Expecting ')'");
    expect(errorOf('summary ~ "open')[0]).toContain('has not been completed');
    expect(errorOf('project = SCR ORDER created')[0]).toContain("'BY'");
  });

  it('refuses unknown fields, values and options, as Jira words them', () => {
    expect(errorOf('nosuchfield = 1')).toEqual(["Field 'nosuchfield' does not exist or you do not have permission to view it."]);
    expect(errorOf('status = "Done Done"')).toEqual(["The value 'Done Done' does not exist for the field 'status'."]);
    expect(errorOf('project = NOPE')).toEqual(["The value 'NOPE' does not exist for the field 'project'."]);
    expect(errorOf('"Run Status" = exploded')).toEqual(["The option 'exploded' for field 'Run Status' does not exist."]);
    expect(errorOf('updated >= "yesterday"')[0]).toContain("Date value 'yesterday' for field 'updated' is invalid");
    expect(errorOf('project = SCR ORDER BY nosuch')[0]).toContain("Not able to sort using field 'nosuch'");
  });
});
