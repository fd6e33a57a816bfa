import type { Router } from '../../common/http.js';
import { jiraError, withIssue, type JiraContext } from '../context.js';

/** Issue properties: small JSON documents apps keep on an issue. */
export function addPropertyRoutes(router: Router, context: JiraContext): void {
  const base = `${context.prefix}/issue/:key/properties`;
  router
    .add('GET', base, (req) =>
      withIssue(context, req, (issue) => ({
        status: 200,
        body: { keys: Object.keys(issue.properties).map((key) => ({ self: `${context.api().url}/issue/${issue.id}/properties/${encodeURIComponent(key)}`, key })) },
      })),
    )
    .add('GET', `${base}/:propertyKey`, (req) =>
      withIssue(context, req, (issue) => {
        const key = req.params.propertyKey ?? '';
        if (!(key in issue.properties)) return jiraError(404, [`The property with key '${key}' does not exist.`]);
        return { status: 200, body: { key, value: issue.properties[key] } };
      }),
    )
    .add('PUT', `${base}/:propertyKey`, (req) =>
      withIssue(context, req, (issue) => {
        const key = req.params.propertyKey ?? '';
        if (req.body === undefined) return jiraError(400, ['The property value must be valid JSON.']);
        if (key.length > 255) return jiraError(400, ['The property key cannot be longer than 255 characters.']);
        if (req.rawBody.length > 32_768) return jiraError(400, ['The property value cannot be larger than 32768 bytes.']);
        const existed = context.state.setProperty(issue, key, req.body);
        return { status: existed ? 200 : 201 };
      }),
    )
    .add('DELETE', `${base}/:propertyKey`, (req) =>
      withIssue(context, req, (issue) => {
        const key = req.params.propertyKey ?? '';
        return context.state.deleteProperty(issue, key) ? { status: 204 } : jiraError(404, [`The property with key '${key}' does not exist.`]);
      }),
    );
}
