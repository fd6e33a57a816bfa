import type { Router } from '../../common/http.js';
import { intParam, isRecord, jiraError, withIssue, type JiraContext } from '../context.js';
import { commentRefusal, takeText } from '../deployment.js';
import { renderComment } from '../render.js';

/** Comments are ADF documents in v3 (a plain string body is refused), wiki-markup strings in v2 on Data Center. */
export function addCommentRoutes(router: Router, context: JiraContext): void {
  const path = `${context.prefix}/issue/:key/comment`;
  router
    .add('GET', path, (req) =>
      withIssue(context, req, (issue) => {
        const startAt = intParam(req.query.get('startAt'), 0);
        const maxResults = intParam(req.query.get('maxResults'), 100);
        const orderBy = req.query.get('orderBy') ?? 'created';
        if (startAt === null || maxResults === null) return jiraError(400, ["'startAt' and 'maxResults' must be non-negative integers."]);
        if (!['created', '+created', '-created'].includes(orderBy)) return jiraError(400, [`Invalid orderBy '${orderBy}': use created, +created or -created.`]);
        const ordered = orderBy === '-created' ? [...issue.comments].reverse() : issue.comments;
        const comments = ordered.slice(startAt, startAt + maxResults).map((comment) => renderComment(comment, issue, context.api()));
        return { status: 200, body: { startAt, maxResults, total: issue.comments.length, comments } };
      }),
    )
    .add('POST', path, (req) =>
      withIssue(context, req, (issue) => {
        const body = takeText(context.api(), isRecord(req.body) ? req.body.body : undefined);
        if (!body) return jiraError(400, [], { comment: commentRefusal(context.api()) });
        const comment = context.state.addComment(issue, body, context.userOf(req));
        return { status: 201, body: renderComment(comment, issue, context.api()) };
      }),
    );
}
