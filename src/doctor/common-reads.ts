import type { JiraCall } from '../jira/jira-call.js';
import { Transitions } from '../jira/schema.js';
import { EditMeta, FieldList, Myself, Project, StatusList } from './jira-schema.js';
import type { JiraReads } from './jira-reads.js';

/** The part of jira.js's Version2Client and Version3Client the doctor's version-independent reads use. */
export interface ReadClient {
  myself: { getCurrentUser<T>(): Promise<T> };
  projects: { getProject<T>(parameters: { projectIdOrKey: string }): Promise<T> };
  issueFields: { getFields<T>(): Promise<T> };
  workflowStatuses: { getStatuses<T>(): Promise<T> };
  issues: {
    getTransitions<T>(parameters: { issueIdOrKey: string; expand?: string }): Promise<T>;
    getEditIssueMeta<T>(parameters: { issueIdOrKey: string }): Promise<T>;
  };
}

/** The reads that are the same on Jira Cloud (REST v3) and Data Center (REST v2). */
export function commonReads(
  client: ReadClient,
  call: JiraCall,
): Pick<JiraReads, 'myself' | 'project' | 'fields' | 'statusNames' | 'transitions' | 'editableFields'> {
  return {
    myself: () => call.read('GET /myself', {}, Myself, () => client.myself.getCurrentUser<unknown>()),
    project: (key) => call.read('GET /project/{key}', { key }, Project, () => client.projects.getProject<unknown>({ projectIdOrKey: key })),
    fields: () => call.read('GET /field', {}, FieldList, () => client.issueFields.getFields<unknown>()),
    async statusNames() {
      const statuses = await call.read('GET /status', {}, StatusList, () => client.workflowStatuses.getStatuses<unknown>());
      return statuses.map((status) => status.name);
    },
    async transitions(key) {
      const body = await call.read('GET /issue/{key}/transitions', { key }, Transitions, () =>
        client.issues.getTransitions<unknown>({ issueIdOrKey: key, expand: 'transitions.fields' }),
      );
      return body.transitions;
    },
    async editableFields(key) {
      const body = await call.read('GET /issue/{key}/editmeta', { key }, EditMeta, () =>
        client.issues.getEditIssueMeta<unknown>({ issueIdOrKey: key }),
      );
      return new Set(Object.keys(body.fields));
    },
  };
}
