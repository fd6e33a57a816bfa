import type { Config } from '../config/schema.js';

/** The reconciler's seven custom fields, by their key under `jira.fields`. */
export type FieldRole = keyof Config['jira']['fields'];

/** Each field's name as people see it in Jira (and as setup creates it). */
export const FIELD_LABELS: Readonly<Record<FieldRole, string>> = {
  source: 'Source',
  runType: 'Run Type',
  params: 'Parameters',
  environment: 'Environment',
  airflowRunId: 'Airflow Run ID',
  runStatus: 'Run Status',
  platformRunId: 'Platform Run ID',
};

/** Jira's own custom field types and searchers are this prefix plus a short name (`select`, `textarea`, ...). */
export const CUSTOM_FIELD_TYPE_PREFIX = 'com.atlassian.jira.plugin.system.customfieldtypes:';
