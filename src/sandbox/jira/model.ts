import type { AdfDoc } from './adf.js';

export interface SimUser {
  accountId: string;
  emailAddress: string;
  displayName: string;
}

export interface HistoryItem {
  field: string;
  fieldtype: 'jira' | 'custom';
  fieldId: string;
  from: string | null;
  fromString: string | null;
  to: string | null;
  toString: string | null;
}

export interface History {
  id: string;
  author: SimUser;
  created: number;
  items: HistoryItem[];
}

export interface StoredComment {
  id: string;
  author: SimUser;
  body: AdfDoc;
  created: number;
  updated: number;
}

/** An issue as the simulator holds it: fields in their v3 read representation. */
export interface SimIssue {
  id: string;
  key: string;
  project: string;
  /** Status name. */
  status: string;
  fields: Record<string, unknown>;
  created: number;
  updated: number;
  histories: History[];
  comments: StoredComment[];
  properties: Record<string, unknown>;
}

export const PERSON: SimUser = {
  accountId: '5b10a2844c20165700ede21g',
  emailAddress: 'pat.person@example.com',
  displayName: 'Pat Person',
};

/** Jira Cloud's timestamp format: 2026-01-05T10:00:00.000+0000. */
export function jiraTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}
