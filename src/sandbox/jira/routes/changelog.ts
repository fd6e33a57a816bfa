import type { Router } from '../../common/http.js';
import { intParam, jiraError, withIssue, type JiraContext } from '../context.js';
import { renderHistory } from '../render.js';

/** The full changelog, oldest first, paged by startAt/maxResults (Cloud only: Data Center embeds it in the issue). */
export function addChangelogRoutes(router: Router, context: JiraContext): void {
  router.add('GET', `${context.prefix}/issue/:key/changelog`, (req) =>
    withIssue(context, req, (issue) => {
      const startAt = intParam(req.query.get('startAt'), 0);
      const requested = intParam(req.query.get('maxResults'), 100);
      if (startAt === null || requested === null) return jiraError(400, ["'startAt' and 'maxResults' must be non-negative integers."]);
      const maxResults = Math.min(requested, 100);
      const values = issue.histories.slice(startAt, startAt + maxResults).map((history) => renderHistory(history, context.api()));
      const isLast = startAt + values.length >= issue.histories.length;
      const self = `${context.api().url}/issue/${issue.key}/changelog`;
      const page: Record<string, unknown> = { self, maxResults, startAt, total: issue.histories.length, isLast, values };
      if (!isLast) page.nextPage = `${self}?startAt=${startAt + maxResults}&maxResults=${maxResults}`;
      return { status: 200, body: page };
    }),
  );
}
