import type { TicketWrite } from './ticket.js';
import type { FieldIds } from './to-ticket.js';

/** The Jira `fields` of an edit or transition: Run Status is a single select, the run ids are text. */
export function toFieldWrite(write: TicketWrite, fieldIds: FieldIds): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  if (write.runStatus !== undefined) fields[fieldIds.runStatus] = { value: write.runStatus };
  if (write.airflowRunId !== undefined) fields[fieldIds.airflowRunId] = write.airflowRunId;
  if (write.platformRunId !== undefined) fields[fieldIds.platformRunId] = write.platformRunId;
  return fields;
}
