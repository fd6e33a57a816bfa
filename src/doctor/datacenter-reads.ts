import type { Version2Client, Version3Client } from 'jira.js';
import { isUpstreamError } from '../http/errors.js';
import type { JiraCall } from '../jira/jira-call.js';
import { commonReads } from './common-reads.js';
import { SampleSearch } from './jira-schema.js';
import type { JiraReads } from './jira-reads.js';

/**
 * The doctor's reads on Jira Data Center (REST v2). `cloud` is used once, to tell a Cloud site given a
 * PAT: only Cloud answers REST v3.
 */
export function createDataCenterReads(client: Version2Client, cloud: Version3Client, call: JiraCall): JiraReads {
  return {
    async servesCloudApi() {
      try {
        await call.run('GET /rest/api/3/myself', {}, () => cloud.myself.getCurrentUser<unknown>());
        return true;
      } catch (error) {
        if (isUpstreamError(error, 'not_found')) return false;
        throw error;
      }
    },
    ...commonReads(client, call),
    // Data Center has no REST read of a field's contexts and options (Cloud's /field/{id}/context).
    options: () => Promise.resolve(null),
    async sampleIssue(jql) {
      const body = await call.read('GET /search', { jql }, SampleSearch, () =>
        client.issueSearch.searchForIssuesUsingJql<unknown>({ jql, maxResults: 1, fields: ['status'] }),
      );
      return body.issues[0]?.key ?? null;
    },
  };
}
