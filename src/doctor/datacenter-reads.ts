import type { Version2Client } from 'jira.js';
import { isUpstreamError } from '../http/errors.js';
import type { JiraCall } from '../jira/jira-call.js';
import { commonReads } from './common-reads.js';
import { CreateMetaFields, CreateMetaIssueTypes, SampleSearch } from './jira-schema.js';
import type { JiraReads, SelectOption } from './jira-reads.js';

const PAGE_LIMIT = 20;
const PAGE_SIZE = 50;

/**
 * The doctor's reads on Jira Data Center (REST v2). Data Center has no REST read of a field's contexts
 * (Cloud's /field/{id}/context), so select options are read off the create screens of the configured
 * projects (`/issue/createmeta/{project}/issuetypes/{id}`, Jira 8.4+), which needs only Create Issues.
 */
export function createDataCenterReads(client: Version2Client, call: JiraCall, serverInfo: JiraReads['serverInfo'], projects: readonly string[]): JiraReads {
  let screens: Promise<ScreenField[] | null> | undefined;

  async function issueTypeIds(project: string): Promise<string[]> {
    const ids: string[] = [];
    for (let page = 0; page < PAGE_LIMIT; page++) {
      const body = await call.read('GET /issue/createmeta/{project}/issuetypes', { project }, CreateMetaIssueTypes, () =>
        client.issues.getCreateIssueMetaIssueTypes<unknown>({ projectIdOrKey: project, startAt: ids.length, maxResults: PAGE_SIZE }),
      );
      ids.push(...body.ids);
      if (body.ids.length === 0 || body.isLast !== false || (body.total !== undefined && ids.length >= body.total)) break;
    }
    return ids;
  }

  async function screenFields(project: string, issueTypeId: string): Promise<ScreenField[]> {
    const fields: ScreenField[] = [];
    for (let page = 0; page < PAGE_LIMIT; page++) {
      const body = await call.read('GET /issue/createmeta/{project}/issuetypes/{id}', { project, issueTypeId }, CreateMetaFields, () =>
        client.issues.getCreateIssueMetaIssueTypeId<unknown>({ projectIdOrKey: project, issueTypeId, startAt: fields.length, maxResults: PAGE_SIZE }),
      );
      fields.push(...body.fields);
      if (body.fields.length === 0 || body.isLast !== false || (body.total !== undefined && fields.length >= body.total)) break;
    }
    return fields;
  }

  /** Every create screen of every project once, shared by the select fields' checks. */
  async function allScreens(): Promise<ScreenField[] | null> {
    const all: ScreenField[] = [];
    try {
      for (const project of projects) {
        for (const id of await issueTypeIds(project)) all.push(...(await screenFields(project, id)));
      }
    } catch (error) {
      // Before Jira 8.4 there is no such read: the options stay unchecked rather than failing doctor.
      if (isUpstreamError(error, 'not_found')) return null;
      throw error;
    }
    return all;
  }

  return {
    serverInfo,
    ...commonReads(client, call),
    async options(fieldId) {
      screens ??= allScreens();
      const found = (await screens)?.filter((field) => field.fieldId === fieldId && field.allowedValues !== undefined);
      if (!found || found.length === 0) return null;
      return found.flatMap((field) => (field.allowedValues ?? []).flatMap((option): SelectOption[] => {
        const value = option.value ?? option.name;
        return value === undefined ? [] : [{ value, disabled: option.disabled ?? false }];
      }));
    },
    async sampleIssue(jql) {
      const body = await call.read('GET /search', { jql }, SampleSearch, () =>
        client.issueSearch.searchForIssuesUsingJql<unknown>({ jql, maxResults: 1, fields: ['status'] }),
      );
      return body.issues[0]?.key ?? null;
    },
  };
}

type ScreenField = CreateMetaFields['fields'][number];
