import type { Router } from '../../common/http.js';
import { isAdfDoc } from '../adf.js';
import { intParam, isRecord, jiraError, withIssue, type JiraContext } from '../context.js';
import { renderComment } from '../render.js';

/** Comments are ADF documents in v3: a plain string body is refused. */
export function addCommentRoutes(router: Router, context: JiraContext): void {
  const path = '/rest/api/3/issue/:key/comment';
  router
    .add('GET', path, (req) =>
      withIssue(context, req, (issue) => {
        const startAt = intParam(req.query.get('startAt'), 0);
        const maxResults = intParam(req.query.get('maxResults'), 100);
        const orderBy = req.query.get('orderBy') ?? 'created';
        if (startAt === null || maxResults === null) return jiraError(400, ["'startAt' and 'maxResults' must be non-negative integers."]);
        if (!['created', '+created', '-created'].includes(orderBy)) return jiraError(400, [`Invalid orderBy '${orderBy}': use created, +created or -created.`]);
        const ordered = orderBy === '-created' ? [...issue.comments].reverse() : issue.comments;
        const comments = ordered.slice(startAt, startAt + maxResults).map((comment) => renderComment(comment, issue, context.baseUrl()));
        return { status: 200, body: { startAt, maxResults, total: issue.comments.length, comments } };
      }),
    )
    .add('POST', path, (req) =>
      withIssue(context, req, (issue) => {
        const body = isRecord(req.body) ? req.body.body : undefined;
        if (!isAdfDoc(body)) {
          return jiraError(400, [], { comment: 'Comment body must be an Atlassian Document (see the Atlassian Document Format).' });
        }
        const comment = context.state.addComment(issue, body, context.userOf(req));
        return { status: 201, body: renderComment(comment, issue, context.baseUrl()) };
      }),
    );
}
