import type { Config } from '../config/schema.js';
import { adfToText } from './adf.js';
import type { EmbeddedChangelog, History, Issue } from './schema.js';
import type { Ticket } from './ticket.js';

export type FieldIds = Config['jira']['fields'];

/** A raw Jira issue as the reconciler's Ticket. Pure: the changelog must already be complete enough. */
export function toTicket(raw: Issue, fieldIds: FieldIds, readyStatus: string): Ticket {
  const fields = raw.fields as Record<string, unknown>;
  const entry = newestReadyEntry(raw.changelog?.histories ?? [], readyStatus);
  return {
    key: raw.key,
    id: raw.id,
    status: raw.fields.status.name,
    updated: isoTime(raw.fields.updated),
    source: selectValue(fields[fieldIds.source]),
    runType: selectValue(fields[fieldIds.runType]),
    environment: selectValue(fields[fieldIds.environment]),
    paramsText: textValue(fields[fieldIds.params]),
    airflowRunId: textValue(fields[fieldIds.airflowRunId]),
    runStatus: selectValue(fields[fieldIds.runStatus]),
    platformRunId: textValue(fields[fieldIds.platformRunId]),
    labels: Array.isArray(fields.labels) ? fields.labels.filter((label): label is string => typeof label === 'string') : [],
    requestId: entry?.id ?? 'created',
    requestedAt: isoTime(entry?.created ?? raw.fields.created),
    summary: textValue(fields.summary),
  };
}

/** The newest history that moved the issue into the Ready status, whatever order Jira listed them in. */
export function newestReadyEntry(histories: readonly History[], readyStatus: string): History | undefined {
  const wanted = readyStatus.toLowerCase();
  let newest: History | undefined;
  for (const history of histories) {
    const intoReady = history.items.some((item) => item.field === 'status' && item.toText?.toLowerCase() === wanted);
    if (intoReady && (newest === undefined || isNewer(history, newest))) newest = history;
  }
  return newest;
}

/** The embedded changelog holds only part of the histories, so the newest entry may be missing. */
export function isChangelogTruncated(changelog: EmbeddedChangelog | undefined): boolean {
  if (changelog?.total === undefined) return false;
  return changelog.total > changelog.histories.length;
}

function isNewer(a: History, b: History): boolean {
  const at = Date.parse(a.created);
  const bt = Date.parse(b.created);
  if (at !== bt && !Number.isNaN(at) && !Number.isNaN(bt)) return at > bt;
  return Number(a.id) > Number(b.id);
}

/** Select option value; also a plain string, an `{id, value}` object or an array of one. */
export function selectValue(value: unknown): string | null {
  if (Array.isArray(value)) return value.length === 1 ? selectValue(value[0]) : null;
  if (typeof value === 'string') return nonEmpty(value);
  if (typeof value === 'object' && value !== null) {
    const option = value as { value?: unknown; name?: unknown };
    if (typeof option.value === 'string') return nonEmpty(option.value);
    if (typeof option.name === 'string') return nonEmpty(option.name);
  }
  return null;
}

/** Text as text; an ADF document (Cloud v3 multi-line text) as its plain text. */
export function textValue(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return String(value);
  return nonEmpty(adfToText(value));
}

function nonEmpty(text: string): string | null {
  return text.trim() === '' ? null : text;
}

/** Jira writes `+0000` offsets; the rest of the program compares ISO instants. */
function isoTime(value: string): string {
  const at = Date.parse(value);
  return Number.isNaN(at) ? value : new Date(at).toISOString();
}
