import type { Router, SimResponse } from '../../common/http.js';
import { intParam, jiraError, type JiraContext } from '../context.js';
import { ISSUE_TYPE } from '../render.js';
import { fieldMetadata } from './metadata.js';

/**
 * Data Center's create metadata (Jira 8.4+; the old `/issue/createmeta?expand=...` was removed in 9.0):
 * the issue types of a project, then the create screen's fields of one, with select options as
 * `allowedValues`. Needs only the Create Issues permission, so it is how a bot reads select options.
 */
export function addCreateMetaRoutes(router: Router, context: JiraContext): void {
  const base = `${context.prefix}/issue/createmeta/:projectKey/issuetypes`;
  router
    .add('GET', base, (req) =>
      withProject(context, req.params.projectKey ?? '', () => {
        const api = context.api();
        return page([{ self: `${api.url}/issuetype/${ISSUE_TYPE.id}`, id: ISSUE_TYPE.id, description: ISSUE_TYPE.description, iconUrl: `${api.root}/images/icons/issuetypes/task.svg`, name: ISSUE_TYPE.name, subtask: false }], req.query);
      }),
    )
    .add('GET', `${base}/:issueTypeId`, (req) =>
      withProject(context, req.params.projectKey ?? '', () => {
        if (req.params.issueTypeId !== ISSUE_TYPE.id) return jiraError(404, [`Issue type with id '${req.params.issueTypeId ?? ''}' does not exist in this project.`]);
        const onScreen = context.state.catalog.onScreen();
        const values = onScreen.map((field) => {
          const { key, ...meta } = fieldMetadata(field, context.api());
          return { ...meta, fieldId: key };
        });
        return page(values, req.query);
      }),
    );
}

function withProject(context: JiraContext, keyOrId: string, handler: () => SimResponse): SimResponse {
  const known = context.state.projects.some((key, index) => key === keyOrId.toUpperCase() || String(10000 + index) === keyOrId);
  return known ? handler() : jiraError(404, [`No project could be found with key '${keyOrId}'.`]);
}

/** Data Center's paged list: `values` with `startAt`, `maxResults`, `total`, `isLast`. */
function page(all: readonly unknown[], query: URLSearchParams): SimResponse {
  const startAt = intParam(query.get('startAt'), 0);
  const requested = intParam(query.get('maxResults'), 50);
  if (startAt === null || requested === null) return jiraError(400, ["'startAt' and 'maxResults' must be non-negative integers."]);
  const values = all.slice(startAt, startAt + requested);
  return { status: 200, body: { maxResults: requested, startAt, total: all.length, isLast: startAt + values.length >= all.length, values } };
}
