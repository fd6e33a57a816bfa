import { z } from 'zod';
import { NOTIFY_EVENTS } from './notify-config.js';

/**
 * One event about one ticket request, as kept in the outbox and sent on every channel. Parsed when
 * read back, so a row written by another release is refused rather than sent half-filled.
 */
export const Notification = z.object({
  event: z.enum(NOTIFY_EVENTS),
  issueKey: z.string().min(1),
  summary: z.string().optional(),
  source: z.string().optional(),
  ticketUrl: z.string().min(1),
  dagId: z.string().optional(),
  dagRunId: z.string().optional(),
  runUrl: z.string().optional(),
  itemCount: z.number().int().nonnegative().optional(),
  /** The DAG's error, the rejection's problems, the retry's reason, or why a run looks stuck. */
  detail: z.string().optional(),
  /** retry: the attempt that starts next, of how many, its DAG run id and when it is due (ISO). */
  retry: z
    .object({ attempt: z.number().int().min(2), of: z.number().int().min(2), dagRunId: z.string(), dueAt: z.string().optional() })
    .optional(),
  /** stuck: the state the run sits in, and for how long. */
  stuck: z.object({ state: z.enum(['queued', 'running']), minutes: z.number().int().nonnegative() }).optional(),
});
export type Notification = z.infer<typeof Notification>;
