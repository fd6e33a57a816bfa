import { describe, expect, it } from 'vitest';
import { featureCli } from './features-helpers.js';
import { COMPLETED, FAILED, view } from './tickets.js';
import { TIMING, UPSTREAM_MATRIX, useWorld, type World } from './world.js';

interface DoctorCheck {
  name: string;
  ok: boolean;
  detail: string;
  hint?: string;
}

/** OPS has its own ready status and Source field, runs only lafa on prod, and prod runs need an approval label. */
function config(ops: { source: string; ready: string }): string {
  return JSON.stringify({
    jira: {
      projects: ['SCR', { key: 'OPS', statuses: { ready: ops.ready }, fields: { source: ops.source }, sources: ['lafa'], environments: ['prod'] }],
    },
    environments: { dev: {}, staging: {}, prod: { approvalLabel: 'prod-approved' } },
  });
}
const GOOD = { source: 'customfield_ops_source', ready: 'Queued for run' };
const QUEUED = 'Queued for run';

/** An OPS ticket a person filled in (its Source in OPS's own field) and moved to OPS's ready status. */
function opsTicket(world: World, source: string, labels: string[] = []): string {
  const { key } = world.jira.createIssue({ project: 'OPS', summary: 'ops request', runType: 'FULL_REFRESH', environment: 'prod', params: {}, fields: { labels } });
  world.jira.setField(key, 'customfield_ops_source', source);
  world.jira.moveIssue(key, QUEUED);
  return key;
}


describe.each(UPSTREAM_MATRIX)("a project's own statuses and fields, in what people read and in doctor (Jira $jira, Airflow $airflow)", ({ jira, airflow }) => {
  const world = useWorld({ jiraDeployment: jira, apiVersion: airflow, jiraProjects: ['SCR', 'OPS'] });
  const good = featureCli(world, () => world.configFile('good.json', config(GOOD)), () => ({ JIRA_PROJECTS: undefined }));

  it("every comment tells an OPS ticket to go back to OPS's ready status; an SCR ticket keeps Ready to Run", async () => {
    const wrongSource = opsTicket(world, 'quebec');
    const unapproved = opsTicket(world, 'lafa');
    const approved = opsTicket(world, 'lafa', ['prod-approved']);
    const { key: scrBad } = world.jira.createIssue({ project: 'SCR', summary: 'scr request', source: 'atlantis', runType: 'DELTA', environment: 'dev', params: {} });
    world.jira.moveIssue(scrBad, 'Ready to Run');

    const first = await good.pass();

    expect(first).toMatchObject({ triggered: 1, rejected: 3, errors: 0 });
    for (const key of [wrongSource, unapproved]) {
      const ticket = view(world.jira, key);
      expect(ticket.status).toBe(FAILED);
      expect(ticket.comments).toHaveLength(1);
      expect(ticket.comments[0]).toContain(`back to ${QUEUED}`);
      expect(ticket.comments[0]).not.toContain('Ready to Run');
    }
    expect(view(world.jira, wrongSource).comments[0]).toContain('Fix the fields above and move the ticket back to Queued for run.');
    expect(view(world.jira, unapproved).comments[0]).toContain('needs the approval label "prod-approved"');
    expect(view(world.jira, scrBad).comments[0]).toContain('Fix the fields above and move the ticket back to Ready to Run.');
    // The approved one was read from OPS's own Source field and started.
    expect(world.airflow.runs().map((run) => [run.conf.jira_issue_key, run.conf.source])).toEqual([[approved, 'lafa']]);

    world.advance(TIMING.queuedMs + TIMING.runningMs);
    await good.pass();

    const done = view(world.jira, approved);
    expect(done.status).toBe(COMPLETED);
    const items = (world.airflow.runs()[0]?.result as { item_count: number }).item_count;
    expect(done.comments.at(-1)).toContain(`Items: ${items.toLocaleString('en-US')}.`);
  });

  it("doctor checks OPS's own field, options, status and transitions, each on a line naming OPS, and passes them", async () => {
    opsTicket(world, 'lafa');
    const result = await good.cli(['doctor', '--json']);

    const checks = result.json<{ ok: boolean; checks: DoctorCheck[] }>().checks;
    const failed = checks.filter((check) => !check.ok);
    expect(failed, result.stdout).toEqual([]);
    expect(result.code).toBe(0);
    const byName = (name: string): DoctorCheck | undefined => checks.find((check) => check.name === name);
    expect(byName('jira field Source (OPS)')?.detail).toContain("customfield_ops_source ('OPS Source'), single select");
    expect(byName('jira statuses (OPS)')?.detail).toBe(QUEUED);
    expect(byName('jira transition to Completed (OPS)')?.detail).toMatch(/^OPS-\d+: 'Mark done'/);
    expect(byName('jira transition to Failed - Needs Investigation (OPS)')?.detail).toMatch(/^OPS-\d+: /);
    expect(byName('jira edit screen (OPS)')?.detail).toMatch(/^OPS-\d+: /);
    // SCR keeps the top-level lines, sampled from its own tickets only.
    expect(byName('jira field Source')?.ok).toBe(true);
    expect(byName('jira transition to Completed')?.detail).toMatch(/^SCR-\d+: |not checked/);
  });

  it('doctor fails an OPS entry naming a field and a ready status Jira does not have, naming OPS, the key and the fix', async () => {
    const typo = featureCli(world, () => world.configFile('typo.json', config({ source: 'customfield_ops_sourse', ready: 'Queued to run' })), () => ({ JIRA_PROJECTS: undefined }));

    const text = await typo.cli(['doctor']);
    const result = await typo.cli(['doctor', '--json']);

    expect(text.code).toBe(1);
    expect(result.code).toBe(1);
    const checks = result.json<{ ok: boolean; checks: DoctorCheck[] }>().checks;
    const byName = (name: string): DoctorCheck | undefined => checks.find((check) => check.name === name);
    expect(byName('jira field Source (OPS)')).toMatchObject({ ok: false, detail: 'Jira has no field customfield_ops_sourse' });
    expect(byName('jira field Source (OPS)')?.hint).toContain("a field named 'OPS Source' has id customfield_ops_source");
    expect(byName('jira field Source (OPS)')?.hint).toContain('fields.source: customfield_ops_source in the OPS entry of jira.projects');
    expect(byName('jira statuses (OPS)')).toMatchObject({ ok: false, detail: "Jira has no status 'Queued to run'" });
    expect(byName('jira statuses (OPS)')?.hint).toContain('statuses.ready in the OPS entry of jira.projects');
    expect(byName('jira transition to Completed (OPS)')).toMatchObject({ ok: false, detail: 'skipped: needs the status Queued to run' });
    // The top-level lines still pass: only OPS's entry is wrong.
    expect(byName('jira field Source')?.ok).toBe(true);
    expect(byName('jira statuses')?.ok).toBe(true);
    expect(text.stdout).toMatch(/^FAIL {2}jira field Source \(OPS\) +Jira has no field customfield_ops_sourse$/m);
    expect(text.stdout).toMatch(/^FAIL {2}jira statuses \(OPS\) +Jira has no status 'Queued to run'$/m);
  });
});
