import { missingFrom, MyPermissions, PERMISSION_KEYS, REQUIRED_PERMISSIONS } from '../jira/permissions.js';
import { isRefusal, SetupHttpError, type SetupHttp } from './setup-http.js';

/**
 * What setup's account lacks in each project (`GET /mypermissions`, one read per project), as lines for an
 * admin. Setup usually runs with the daemon's own token; run with an admin's, the lines speak of that one.
 */
export async function permissionLines(http: SetupHttp, projects: readonly string[]): Promise<string[]> {
  const lines: string[] = [];
  for (const project of projects) {
    let answer: unknown;
    try {
      answer = await http.get('/mypermissions', { projectKey: project, permissions: PERMISSION_KEYS.join(',') });
    } catch (error) {
      if (!isRefusal(error) && !(error instanceof SetupHttpError && error.status === 404)) throw error;
      lines.push(`permissions in ${project} not read (${error.status}): no such project, or Jira hides it from this account; a Jira admin must grant it Browse Projects in ${project}`);
      continue;
    }
    const parsed = MyPermissions.safeParse(answer);
    if (!parsed.success) {
      lines.push(`permissions in ${project} not read: Jira's answer to /mypermissions is not the expected shape; run doctor, which checks them too`);
      continue;
    }
    const missing = missingFrom(parsed.data);
    if (missing.length === 0) continue;
    const uses = missing.map((key) => `${REQUIRED_PERMISSIONS[key].name} (to ${REQUIRED_PERMISSIONS[key].why})`);
    lines.push(`the account lacks ${uses.join(', ')} in ${project}: a Jira admin must grant them in Project settings > Permissions, to a role or group the daemon's account is in`);
  }
  return lines;
}
