import type { Config as JiraClientConfig, Version2Client, Version3Client } from 'jira.js';
import { BaseClient } from 'jira.js/clients/baseClient';
import { IssueComments as IssueComments2 } from 'jira.js/version2/issueComments';
import { Issues as Issues2 } from 'jira.js/version2/issues';
import { IssueSearch as IssueSearch2 } from 'jira.js/version2/issueSearch';
import { Myself as Myself2 } from 'jira.js/version2/myself';
import { IssueComments as IssueComments3 } from 'jira.js/version3/issueComments';
import { Issues as Issues3 } from 'jira.js/version3/issues';
import { IssueSearch as IssueSearch3 } from 'jira.js/version3/issueSearch';
import { Myself as Myself3 } from 'jira.js/version3/myself';

/** The parts of jira.js's clients the reconciler uses; the whole clients load every API group (~35 MB more). */
export type CloudClient = Pick<Version3Client, 'issues' | 'issueSearch' | 'issueComments' | 'myself'>;
export type DataCenterClient = Pick<Version2Client, 'issues' | 'issueSearch' | 'issueComments' | 'myself'>;

class LeanCloudClient extends BaseClient implements CloudClient {
  issues = new Issues3(this);
  issueSearch = new IssueSearch3(this);
  issueComments = new IssueComments3(this);
  myself = new Myself3(this);
}

class LeanDataCenterClient extends BaseClient implements DataCenterClient {
  issues = new Issues2(this);
  issueSearch = new IssueSearch2(this);
  issueComments = new IssueComments2(this);
  myself = new Myself2(this);
}

export function cloudClient(config: JiraClientConfig): CloudClient {
  return new LeanCloudClient(config);
}

export function dataCenterClient(config: JiraClientConfig): DataCenterClient {
  return new LeanDataCenterClient(config);
}
