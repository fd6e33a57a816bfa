import { z } from 'zod';
import type { JiraCall } from './jira-call.js';

/** The project permissions the daemon's token uses, and what each is for. */
export const REQUIRED_PERMISSIONS = {
  BROWSE_PROJECTS: { name: 'Browse Projects', why: 'search and read the tickets' },
  EDIT_ISSUES: { name: 'Edit Issues', why: 'write Airflow Run ID, Run Status and Platform Run ID' },
  TRANSITION_ISSUES: { name: 'Transition Issues', why: 'move tickets to Completed or Failed - Needs Investigation' },
  ADD_COMMENTS: { name: 'Add Comments', why: 'comment on the tickets' },
} as const;

export type ProjectPermission = keyof typeof REQUIRED_PERMISSIONS;

export const PERMISSION_KEYS = Object.keys(REQUIRED_PERMISSIONS) as ProjectPermission[];

/** Cloud's `Permissions` (REST v3) and Data Center's answer (REST v2): the same map by permission key. */
export const MyPermissions = z.object({
  permissions: z.record(z.string(), z.object({ havePermission: z.boolean().optional() })),
});
export type MyPermissions = z.infer<typeof MyPermissions>;

/** The part of jira.js's Version2Client (Data Center's `/rest/api/2`) and Version3Client (Cloud) used here. */
export interface PermissionsClient {
  permissions: { getMyPermissions<T>(parameters: { projectKey: string; permissions: string }): Promise<T> };
}

export interface ProjectPermissions {
  project: string;
  /** In the order of REQUIRED_PERMISSIONS; empty when the token has them all. */
  missing: ProjectPermission[];
}

/**
 * What the token's own account lacks in one project, from `GET /mypermissions?projectKey=&permissions=`.
 * A permission Jira leaves out of its answer counts as missing: nothing shows the account has it.
 * Errors are UpstreamErrors (a 404: no such project, or the account may not see it).
 */
export async function missingPermissions(deps: { client: PermissionsClient; call: JiraCall }, projectKey: string): Promise<ProjectPermission[]> {
  const body = await deps.call.read('GET /mypermissions', { projectKey }, MyPermissions, () =>
    deps.client.permissions.getMyPermissions<unknown>({ projectKey, permissions: PERMISSION_KEYS.join(',') }),
  );
  return missingFrom(body);
}

/** The required permissions an answer of `/mypermissions` does not grant (one left out counts as missing). */
export function missingFrom(body: MyPermissions): ProjectPermission[] {
  return PERMISSION_KEYS.filter((key) => body.permissions[key]?.havePermission !== true);
}

/** `missingPermissions` for each project, one request each, in order. */
export async function missingPermissionsByProject(deps: { client: PermissionsClient; call: JiraCall }, projectKeys: readonly string[]): Promise<ProjectPermissions[]> {
  const results: ProjectPermissions[] = [];
  for (const project of projectKeys) results.push({ project, missing: await missingPermissions(deps, project) });
  return results;
}
