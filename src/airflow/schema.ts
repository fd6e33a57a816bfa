import { z } from 'zod';

/*
 * Only the fields the gateway reads, for both /api/v1 (Airflow 2.10) and /api/v2 (Airflow 3). Where the
 * versions differ the field is optional here and the mapping picks per version.
 */

const timestamp = z.string().nullish();

/** v1 `DAG` / v2 `DAGResponse`. v1 has `is_active` (nullable); v2 replaced it with `is_stale`. */
export const Dag = z.object({
  dag_id: z.string(),
  is_paused: z.boolean().nullish(),
  is_active: z.boolean().nullish(),
  is_stale: z.boolean().nullish(),
});
export type Dag = z.infer<typeof Dag>;

/** Both versions allow exactly these run states (`DagState` / `DagRunState`). */
export const DagRunState = z.enum(['queued', 'running', 'success', 'failed']);
export type DagRunState = z.infer<typeof DagRunState>;

/** v1 `DAGRun` / v2 `DAGRunResponse`. */
export const DagRun = z.object({
  dag_id: z.string(),
  dag_run_id: z.string(),
  state: DagRunState,
  start_date: timestamp,
  end_date: timestamp,
});
export type DagRun = z.infer<typeof DagRun>;

/** v1 `DAGRunCollection` / v2 `DAGRunCollectionResponse`. */
export const DagRunCollection = z.object({
  dag_runs: z.array(DagRun),
  total_entries: z.int().nonnegative().optional(),
});
export type DagRunCollection = z.infer<typeof DagRunCollection>;

/** v1 `XCom` / v2 `XComResponseNative` (or `XComResponseString`): only the value matters. */
export const XcomEntry = z.object({
  key: z.string().optional(),
  value: z.unknown(),
});
export type XcomEntry = z.infer<typeof XcomEntry>;

export const VersionInfo = z.object({ version: z.string() });
export type VersionInfo = z.infer<typeof VersionInfo>;

/** Airflow 3's `POST /auth/token` answer (simple and FAB auth managers alike). */
export const AccessToken = z.object({ access_token: z.string().min(1) });
export type AccessToken = z.infer<typeof AccessToken>;
