import { z } from 'zod';

/**
 * A changelog item. `toString` is read as an own property: a plain zod key would find
 * Object.prototype.toString on an item without one and refuse it.
 */
export const ChangeItem = z.looseObject({ field: z.string() }).transform((item) => {
  const to: unknown = Object.getOwnPropertyDescriptor(item, 'toString')?.value;
  return { field: item.field, toText: typeof to === 'string' ? to : null };
});
export type ChangeItem = z.infer<typeof ChangeItem>;

/** A Jira user as far as the reconciler tells one from another: Cloud names it by accountId, Data Center by name and key. */
export const Account = z.object({
  accountId: z.string().optional(),
  name: z.string().optional(),
  key: z.string().optional(),
});
export type Account = z.infer<typeof Account>;

export const History = z.object({
  id: z.string(),
  created: z.string(),
  /** Who made the change; absent for some automated changes. */
  author: Account.nullish(),
  items: z.array(ChangeItem).default([]),
});
export type History = z.infer<typeof History>;

/** The changelog embedded by `expand=changelog`; it may hold only part of the histories. */
export const EmbeddedChangelog = z.object({
  startAt: z.number().optional(),
  maxResults: z.number().optional(),
  total: z.number().optional(),
  histories: z.array(History).default([]),
});
export type EmbeddedChangelog = z.infer<typeof EmbeddedChangelog>;

export const IssueFields = z.looseObject({
  status: z.object({ name: z.string() }),
  updated: z.string(),
  created: z.string(),
});

export const Issue = z.object({
  id: z.string(),
  key: z.string(),
  fields: IssueFields,
  changelog: EmbeddedChangelog.optional(),
});
export type Issue = z.infer<typeof Issue>;

/** `/rest/api/3/search/jql`: token paging, no `total`. */
export const SearchResults = z.object({
  issues: z.array(Issue).default([]),
  nextPageToken: z.string().nullish(),
  isLast: z.boolean().optional(),
});
export type SearchResults = z.infer<typeof SearchResults>;

/** `/rest/api/2/search` (Data Center): offset paging with `total`. */
export const OffsetSearchResults = z.object({
  startAt: z.number().optional(),
  total: z.number(),
  issues: z.array(Issue).default([]),
});
export type OffsetSearchResults = z.infer<typeof OffsetSearchResults>;

/** `GET /rest/api/3/issue/{key}/changelog`: oldest first, startAt paging. */
export const ChangelogPage = z.object({
  startAt: z.number(),
  maxResults: z.number(),
  total: z.number(),
  values: z.array(History).default([]),
});
export type ChangelogPage = z.infer<typeof ChangelogPage>;

export const Comment = z.object({ id: z.string(), body: z.unknown() });
export type Comment = z.infer<typeof Comment>;

export const CommentPage = z.object({
  startAt: z.number(),
  maxResults: z.number(),
  total: z.number(),
  comments: z.array(Comment).default([]),
});
export type CommentPage = z.infer<typeof CommentPage>;

export const Transition = z.object({
  id: z.string(),
  name: z.string(),
  to: z.object({ name: z.string() }),
  /** The transition screen's fields by id (present with `expand=transitions.fields`). */
  fields: z.record(z.string(), z.unknown()).optional(),
});
export type Transition = z.infer<typeof Transition>;

export const Transitions = z.object({ transitions: z.array(Transition).default([]) });
export type Transitions = z.infer<typeof Transitions>;

export const IssueStatus = z.object({ fields: z.object({ status: z.object({ name: z.string() }) }) });
export type IssueStatus = z.infer<typeof IssueStatus>;
