import type { Router, SimResponse } from '../../common/http.js';
import { jiraError, listParam, type JiraContext } from '../context.js';

/** Project permissions the simulator knows, with Jira's ids and names (Jira has more; these cover the bot and an admin). */
const CATALOGUE: Record<string, { id: string; name: string; description: string }> = {
  BROWSE_PROJECTS: { id: '10', name: 'Browse Projects', description: 'Ability to browse projects and the issues within them.' },
  CREATE_ISSUES: { id: '11', name: 'Create Issues', description: 'Ability to create issues.' },
  EDIT_ISSUES: { id: '12', name: 'Edit Issues', description: 'Ability to edit issues.' },
  ADD_COMMENTS: { id: '15', name: 'Add Comments', description: 'Ability to comment on issues.' },
  ADMINISTER_PROJECTS: { id: '23', name: 'Administer Projects', description: 'Ability to administer a project in Jira.' },
  TRANSITION_ISSUES: { id: '46', name: 'Transition Issues', description: 'Ability to transition issues.' },
};

/** Per project key, the permissions the signed-in account lacks there; every other one is granted. */
export type WithheldPermissions = Readonly<Record<string, readonly string[]>>;

/**
 * `GET /mypermissions?projectKey=&permissions=`: the caller's permissions in a project. Cloud requires
 * `permissions` (400 without it, or with a key it does not know); Data Center answers every permission
 * when it is left out. An unknown project is 404, as for an account that may not browse it.
 */
export function addPermissionRoutes(withheld: WithheldPermissions = {}): (router: Router, context: JiraContext) => void {
  return (router, context) => {
    router.add('GET', `${context.prefix}/mypermissions`, (req) => myPermissions(context, withheld, req.query));
  };
}

function myPermissions(context: JiraContext, withheld: WithheldPermissions, query: URLSearchParams): SimResponse {
  const asked = listParam(query, 'permissions');
  if (asked.length === 0 && context.deployment === 'cloud') return jiraError(400, ['The permissions query parameter is required.']);
  const unknown = asked.filter((key) => !(key in CATALOGUE));
  if (unknown.length > 0) return jiraError(400, [`Permission keys ${unknown.join(', ')} are not valid.`]);
  const projectKey = query.get('projectKey')?.toUpperCase();
  if (projectKey !== undefined && !context.state.projects.includes(projectKey)) {
    return jiraError(404, [`No project could be found with key '${query.get('projectKey') ?? ''}'.`]);
  }
  const lacking = new Set(projectKey === undefined ? [] : (withheld[projectKey] ?? []));
  const keys = asked.length > 0 ? asked : Object.keys(CATALOGUE);
  const permissions = Object.fromEntries(
    keys.map((key) => {
      const known = CATALOGUE[key] ?? { id: '0', name: key, description: '' };
      return [key, { id: known.id, key, name: known.name, type: 'PROJECT', description: known.description, havePermission: !lacking.has(key) }];
    }),
  );
  return { status: 200, body: { permissions } };
}
