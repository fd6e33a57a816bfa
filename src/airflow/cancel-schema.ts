import { z } from 'zod';

/*
 * The fields the verified stop and the DAG params check read, in both /api/v1 (Airflow 2.10) and
 * /api/v2 (Airflow 3). Beside schema.ts, which the gateway's reads own.
 */

/**
 * v1 `TaskInstance` / v2 `TaskInstanceResponse`. `state` stays a string: Airflow adds task states
 * more often than run states, and a state this daemon does not know is simply not one it stops.
 */
export const TaskInstance = z.object({
  task_id: z.string(),
  state: z.string().nullish(),
  /** -1 for a task that is not mapped. */
  map_index: z.int().optional(),
});
export type TaskInstance = z.infer<typeof TaskInstance>;

/** v1 `TaskInstanceCollection` / v2 `TaskInstanceCollectionResponse`. */
export const TaskInstanceCollection = z.object({
  task_instances: z.array(TaskInstance),
  total_entries: z.int().nonnegative().optional(),
});
export type TaskInstanceCollection = z.infer<typeof TaskInstanceCollection>;

/** v1 `DAGDetail` / v2 `DAGDetailsResponse`: `params` is each declared Param dumped, by name. */
export const DagDetails = z.object({
  dag_id: z.string(),
  params: z.record(z.string(), z.unknown()).nullish(),
});
export type DagDetails = z.infer<typeof DagDetails>;
