import type { SimRequest, SimResponse } from '../../common/http.js';
import { formatV2 } from '../dates.js';
import { InputError, objectBody, optionalString, parseDate, rejectUnknownKeys, RUN_ID_PATTERN } from '../input.js';
import { parseOrderBy, type RangeOp, type RunQuery } from '../query.js';
import type { AddRoute } from '../routing.js';
import { batchRunQuery, runListQuery, runPage, withRun } from '../run-reads.js';
import type { AirflowState } from '../state.js';
import { V2 } from './dialect.js';
import { dagNotFound, detail } from './errors.js';
import { dagRunV2 } from './views.js';

const PREFIX = V2.prefix;
const RANGE_OPS: readonly RangeOp[] = ['gte', 'gt', 'lte', 'lt'];
const DATE_FIELDS = { logical_date: 'logical_date', run_after: 'run_after', start_date: 'start_date', end_date: 'end_date', updated_at: 'updated_at' } as const;
const TRIGGER_KEYS = ['dag_run_id', 'data_interval_start', 'data_interval_end', 'logical_date', 'run_after', 'conf', 'note', 'partition_key'];
const BATCH_KEYS = [
  'dag_ids', 'states', 'page_limit', 'page_offset', 'order_by', 'conf_contains',
  ...['logical_date', 'run_after', 'start_date', 'end_date', 'duration'].flatMap((field) => RANGE_OPS.map((op) => `${field}_${op}`)),
];
const STATES = ['queued', 'success', 'failed'] as const;

export function addRunRoutesV2(add: AddRoute, state: AirflowState): void {
  add('POST', `${PREFIX}/dags/:dagId/dagRuns/list`, (req) => {
    if (req.params.dagId !== '~') throw new InputError(['path', 'dag_id'], "Input should be '~'", req.params.dagId, 'literal_error');
    const body = objectBody(req.body);
    rejectUnknownKeys(body, BATCH_KEYS);
    const { updated_at: _ignored, ...batchFields } = DATE_FIELDS;
    const reading = { dateFields: batchFields, ops: RANGE_OPS, orderBy: () => orderBy([optionalString(body, 'order_by') ?? ''].filter((value) => value !== '')) };
    return runPage(state, batchRunQuery(body, reading, 0), V2);
  });

  add('GET', `${PREFIX}/dags/:dagId/dagRuns`, (req) => {
    const dagId = req.params.dagId ?? '';
    if (dagId !== '~' && !state.dags.has(dagId)) return dagNotFound(dagId);
    const reading = { dateFields: DATE_FIELDS, ops: RANGE_OPS, orderBy: () => orderBy(req.query.getAll('order_by')) };
    return runPage(state, runListQuery(req, reading, V2.defaultLimit), V2);
  });

  add('POST', `${PREFIX}/dags/:dagId/dagRuns`, (req) => trigger(state, req));

  add('GET', `${PREFIX}/dags/:dagId/dagRuns/:dagRunId`, (req) => withRun(state, req, V2, (run) => ({ status: 200, body: dagRunV2(run) })));

  add('PATCH', `${PREFIX}/dags/:dagId/dagRuns/:dagRunId`, (req) => {
    const body = objectBody(req.body);
    rejectUnknownKeys(body, ['state', 'note']);
    const wanted = body.state;
    if (wanted !== undefined && wanted !== null && !STATES.includes(wanted as never)) {
      throw new InputError(['body', 'state'], "Input should be 'queued', 'success' or 'failed'", wanted, 'enum');
    }
    const note = optionalString(body, 'note');
    return withRun(state, req, V2, (run) => {
      const mask = req.query.getAll('update_mask');
      if (mask.some((field) => field !== 'state' && field !== 'note')) return detail(400, `Invalid field in update mask: ${mask.join(', ')}`);
      if (typeof wanted === 'string' && (mask.length === 0 || mask.includes('state'))) state.setRunState(run, wanted as (typeof STATES)[number]);
      if (note !== undefined && (mask.length === 0 || mask.includes('note'))) run.note = note;
      return { status: 200, body: dagRunV2(run) };
    });
  });
}

/** FastAPI validates the body before the handler runs, so a missing `logical_date` is a 422 even for an unknown DAG. */
function trigger(state: AirflowState, req: SimRequest): SimResponse {
  const body = objectBody(req.body);
  rejectUnknownKeys(body, TRIGGER_KEYS);
  // The generated spec lists no required keys, but Airflow 3 requires this one (null is fine).
  if (!('logical_date' in body)) throw new InputError(['body', 'logical_date'], 'Field required', body, 'missing');
  const logicalDate = body.logical_date === null ? null : parseDate(body.logical_date, ['body', 'logical_date']);
  const conf = body.conf ?? {};
  if (typeof conf !== 'object' || Array.isArray(conf)) throw new InputError(['body', 'conf'], 'Input should be a valid dictionary', conf, 'dict_type');
  const dagRunId = optionalString(body, 'dag_run_id');
  if (dagRunId != null && !RUN_ID_PATTERN.test(dagRunId)) {
    throw new InputError(['body', 'dag_run_id'], `Value error, The run_id '${dagRunId}' does not match the pattern ${RUN_ID_PATTERN.source}`, dagRunId);
  }
  const dagId = req.params.dagId ?? '';
  const now = state.now();
  const result = state.trigger(dagId, {
    dagRunId: dagRunId ?? `manual__${formatV2(logicalDate ?? now)}`,
    conf: conf as Record<string, unknown>,
    logicalDate,
    note: optionalString(body, 'note') ?? null,
  });
  if (result.kind === 'no_dag') return dagNotFound(dagId);
  if (result.kind === 'duplicate') {
    return detail(409, {
      reason: 'Unique constraint violation',
      statement: 'INSERT INTO dag_run (dag_id, run_id, ...) VALUES (?, ?, ...)',
      orig_error: 'UNIQUE constraint failed: dag_run.dag_id, dag_run.run_id',
    });
  }
  return { status: 200, body: dagRunV2(result.run) };
}

function orderBy(values: string[]): RunQuery['orderBy'] {
  const parsed = parseOrderBy(values);
  if ('unknown' in parsed) throw new InputError(['query', 'order_by'], `Ordering with '${parsed.unknown}' is disallowed or the attribute does not exist on the model`, values, 'value_error', 400);
  return parsed.ok;
}
