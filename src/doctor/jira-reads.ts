import type { Version3Client } from 'jira.js';
import type { JiraCall } from '../jira/jira-call.js';
import type { Transition } from '../jira/schema.js';
import { commonReads } from './common-reads.js';
import { ContextPage, type Field, type Myself as MyselfBody, OptionPage, type Project as ProjectBody, SampleSearch, type ServerInfo } from './jira-schema.js';
import type { RestVersion } from './server-info.js';

export interface SelectOption {
  value: string;
  disabled: boolean;
}

/** Every read the doctor makes of Jira; all are GETs. */
export interface JiraReads {
  /** `/rest/api/{version}/serverInfo`; null when the site has no such REST version. */
  serverInfo(version: RestVersion): Promise<ServerInfo | null>;
  myself(): Promise<MyselfBody>;
  project(key: string): Promise<ProjectBody>;
  fields(): Promise<Field[]>;
  /** The options of a select field: Cloud, every context's (needs Administer Jira); Data Center, the create screens'. Null when none could be read. */
  options(fieldId: string): Promise<SelectOption[] | null>;
  statusNames(): Promise<string[]>;
  /** The key of one ticket matching `jql`, or null. */
  sampleIssue(jql: string): Promise<string | null>;
  transitions(key: string): Promise<Transition[]>;
  /** Ids of the fields an edit may set on this ticket. */
  editableFields(key: string): Promise<Set<string>>;
}

const PAGE_LIMIT = 20;

/** The doctor's reads on Jira Cloud (REST v3). */
export function createJiraReads(client: Version3Client, call: JiraCall, serverInfo: JiraReads['serverInfo']): JiraReads {
  async function contextIds(fieldId: string): Promise<string[]> {
    const ids: string[] = [];
    for (let page = 0; page < PAGE_LIMIT; page++) {
      const body = await call.read('GET /field/{id}/context', { fieldId }, ContextPage, () =>
        client.issueCustomFieldContexts.getContextsForField<unknown>({ fieldId, startAt: ids.length, maxResults: 50 }),
      );
      ids.push(...body.values.map((context) => context.id));
      if (body.isLast !== false || body.values.length === 0) break;
    }
    return ids;
  }

  async function contextOptions(fieldId: string, contextId: number): Promise<SelectOption[]> {
    const options: SelectOption[] = [];
    for (let page = 0; page < PAGE_LIMIT; page++) {
      const body = await call.read('GET /field/{id}/context/{id}/option', { fieldId, contextId }, OptionPage, () =>
        client.issueCustomFieldOptions.getOptionsForContext<unknown>({ fieldId, contextId, startAt: options.length, maxResults: 100 }),
      );
      options.push(...body.values.map((option) => ({ value: option.value, disabled: option.disabled ?? false })));
      if (body.isLast !== false || body.values.length === 0) break;
    }
    return options;
  }

  return {
    serverInfo,
    ...commonReads(client, call),
    async options(fieldId) {
      const options: SelectOption[] = [];
      for (const id of await contextIds(fieldId)) options.push(...(await contextOptions(fieldId, Number(id))));
      return options;
    },
    async sampleIssue(jql) {
      const body = await call.read('GET /search/jql', { jql }, SampleSearch, () =>
        client.issueSearch.searchForIssuesUsingJqlEnhancedSearch<unknown>({ jql, maxResults: 1, fields: ['status'] }),
      );
      return body.issues[0]?.key ?? null;
    },
  };
}
