import { z } from 'zod';

/*
 * Only what the doctor reads from Jira (Cloud REST v3; Data Center's v2 answers have the same shapes,
 * with `name` for the user instead of `accountId`). Kept apart from src/jira/schema.ts: these are
 * admin-side shapes (fields, contexts, statuses) the daemon itself never reads.
 */

export const Myself = z.object({
  accountId: z.string().optional(),
  name: z.string().optional(),
  displayName: z.string().optional(),
  emailAddress: z.string().optional(),
});
export type Myself = z.infer<typeof Myself>;

export const Project = z.object({ key: z.string(), name: z.string().optional() });
export type Project = z.infer<typeof Project>;

/** `GET /field`: `schema.custom` names the custom field type, e.g. `...customfieldtypes:select`. */
export const Field = z.object({
  id: z.string(),
  name: z.string(),
  schema: z.object({ type: z.string().optional(), custom: z.string().optional() }).optional(),
});
export type Field = z.infer<typeof Field>;
export const FieldList = z.array(Field);

export const ContextPage = z.object({
  values: z.array(z.object({ id: z.string(), name: z.string().optional() })).default([]),
  isLast: z.boolean().optional(),
});
export type ContextPage = z.infer<typeof ContextPage>;

export const OptionPage = z.object({
  values: z.array(z.object({ id: z.string(), value: z.string(), disabled: z.boolean().optional() })).default([]),
  isLast: z.boolean().optional(),
});
export type OptionPage = z.infer<typeof OptionPage>;

export const StatusList = z.array(z.object({ name: z.string() }));

export const SampleSearch = z.object({ issues: z.array(z.object({ key: z.string() })).default([]) });

/** `GET /issue/{key}/editmeta`: the fields an edit (`PUT /issue/{key}`) may set, by id. */
export const EditMeta = z.object({ fields: z.record(z.string(), z.unknown()).default({}) });

/** `GET /serverInfo` (anonymous on both): `deploymentType` is `Cloud`, `Server` or `DataCenter`. */
export const ServerInfo = z.object({
  deploymentType: z.string().optional(),
  version: z.string().optional(),
});
export type ServerInfo = z.infer<typeof ServerInfo>;

/**
 * Data Center's create metadata pages (`/issue/createmeta/{project}/issuetypes[/{id}]`, Jira 8.4+):
 * `values`. Jira Cloud's v2 names the same lists `issueTypes` and `fields`; both are read.
 */
export const CreateMetaIssueTypes = z
  .object({ values: z.array(z.object({ id: z.string() })).optional(), issueTypes: z.array(z.object({ id: z.string() })).optional(), isLast: z.boolean().optional(), total: z.number().optional() })
  .transform((page) => ({ ids: (page.values ?? page.issueTypes ?? []).map((type) => type.id), isLast: page.isLast, total: page.total }));

const CreateMetaField = z.object({
  fieldId: z.string(),
  allowedValues: z.array(z.object({ value: z.string().optional(), name: z.string().optional(), disabled: z.boolean().optional() })).optional(),
});
export const CreateMetaFields = z
  .object({ values: z.array(CreateMetaField).optional(), fields: z.array(CreateMetaField).optional(), isLast: z.boolean().optional(), total: z.number().optional() })
  .transform((page) => ({ fields: page.values ?? page.fields ?? [], isLast: page.isLast, total: page.total }));
export type CreateMetaFields = z.output<typeof CreateMetaFields>;
