import type { CommentBody } from './ticket.js';
import type { JiraDialect } from './dialect.js';

type Fields = Record<string, unknown>;

/**
 * The part of jira.js's Version2Client and Version3Client the single-issue requests use. Both clients
 * fit it; only the comment body differs (ADF on Cloud, wiki markup on Data Center).
 */
export interface IssueClient<Body> {
  issues: {
    getIssue<T>(parameters: { issueIdOrKey: string; fields?: string[]; expand?: string }): Promise<T>;
    editIssue<T>(parameters: { issueIdOrKey: string; fields?: Fields; update?: Fields }): Promise<T>;
    getTransitions<T>(parameters: { issueIdOrKey: string; expand?: string }): Promise<T>;
    doTransition<T>(parameters: { issueIdOrKey: string; transition?: { id?: string }; fields?: Fields; update?: Fields }): Promise<T>;
  };
  myself: {
    getCurrentUser<T>(): Promise<T>;
  };
  issueComments: {
    getComments<T>(parameters: { issueIdOrKey: string; startAt?: number; maxResults?: number; orderBy?: string }): Promise<T>;
    addComment<T>(parameters: { issueIdOrKey: string; comment: Body }): Promise<T>;
  };
}

export type IssueRequests = Pick<JiraDialect, 'getIssue' | 'editIssue' | 'getTransitions' | 'doTransition' | 'getComments' | 'addComment' | 'getMyself'>;

export function issueRequests<Body>(client: IssueClient<Body>, encodeComment: (comment: CommentBody) => Body): IssueRequests {
  return {
    getIssue: (key, fields, expand) =>
      client.issues.getIssue<unknown>({ issueIdOrKey: key, fields: [...fields], ...(expand ? { expand } : {}) }),
    editIssue: (key, fields, comment) =>
      client.issues.editIssue<unknown>({ issueIdOrKey: key, fields, ...(comment ? { update: commentUpdate(encodeComment(comment)) } : {}) }),
    getTransitions: (key) => client.issues.getTransitions<unknown>({ issueIdOrKey: key, expand: 'transitions.fields' }),
    doTransition: (key, transitionId, fields, comment) =>
      client.issues.doTransition<unknown>({
        issueIdOrKey: key,
        transition: { id: transitionId },
        ...(Object.keys(fields).length > 0 ? { fields } : {}),
        ...(comment ? { update: commentUpdate(encodeComment(comment)) } : {}),
      }),
    getComments: (key, startAt, maxResults) =>
      client.issueComments.getComments<unknown>({ issueIdOrKey: key, startAt, maxResults, orderBy: '-created' }),
    addComment: (key, comment) => client.issueComments.addComment<unknown>({ issueIdOrKey: key, comment: encodeComment(comment) }),
    getMyself: () => client.myself.getCurrentUser<unknown>(),
  };
}

/** A comment added by an edit or a transition: `update.comment`, so it lands in the same request as the fields. */
function commentUpdate<Body>(body: Body): Fields {
  return { comment: [{ add: { body } }] };
}
