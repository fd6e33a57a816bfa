import { describe, expect, it } from 'vitest';
import { createSetupHttp } from '../../src/setup/setup-http.js';
import { permissionLines } from '../../src/setup/token-permissions.js';

const ALL = ['BROWSE_PROJECTS', 'EDIT_ISSUES', 'TRANSITION_ISSUES', 'ADD_COMMENTS'];

/** A Jira answering /mypermissions per project: the granted keys, or an HTTP status. */
function jira(answers: Record<string, string[] | number>): { fetch: typeof fetch; asked: string[] } {
  const asked: string[] = [];
  const fetcher = ((url: string) => {
    const query = new URL(url).searchParams;
    const project = query.get('projectKey') ?? '';
    asked.push(`${project}:${query.get('permissions')}`);
    const answer = answers[project] ?? 404;
    if (typeof answer === 'number') return Promise.resolve(new Response(JSON.stringify({ errorMessages: ['No project'], errors: {} }), { status: answer }));
    const permissions = Object.fromEntries(ALL.map((key) => [key, { havePermission: answer.includes(key) }]));
    return Promise.resolve(new Response(JSON.stringify({ permissions }), { status: 200 }));
  }) as unknown as typeof fetch;
  return { fetch: fetcher, asked };
}

describe("setup jira: the token's project permissions", () => {
  it('names what each project lacks, one read per project, and nothing for a project with all four', async () => {
    const site = jira({ SCR: ALL, OPS: ['BROWSE_PROJECTS', 'ADD_COMMENTS'] });
    const http = createSetupHttp({ apiUrl: 'https://jira.example.com/rest/api/3', authorization: null, timeoutMs: 1000, fetch: site.fetch });
    const lines = await permissionLines(http, ['SCR', 'OPS']);
    expect(site.asked).toEqual([`SCR:${ALL.join(',')}`, `OPS:${ALL.join(',')}`]);
    expect(http.counts).toEqual({ reads: 2, writes: 0 });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('lacks Edit Issues');
    expect(lines[0]).toContain('Transition Issues');
    expect(lines[0]).toContain('in OPS: a Jira admin must grant them');
  });

  it('a project Jira does not show is named as a line, not a crash', async () => {
    const site = jira({ SCR: 404 });
    const http = createSetupHttp({ apiUrl: 'https://jira.example.com/rest/api/3', authorization: null, timeoutMs: 1000, fetch: site.fetch });
    const lines = await permissionLines(http, ['SCR']);
    expect(lines).toEqual([expect.stringContaining('permissions in SCR not read (404): no such project')]);
  });
});
