import type { SimRequest, SimResponse } from '../../common/http.js';
import { formatV2 } from '../dates.js';
import { InputError, intParam, objectBody, optionalInt, optionalString, optionalStringList, parseDate, rejectUnknownKeys, RUN_ID_PATTERN } from '../input.js';
import { parseOrderBy, queryRuns, type RunQuery } from '../query.js';
import { collectRanges, MAX_PAGE_LIMIT } from '../run-filters.js';
import type { AddRoute } from '../routing.js';
import type { AirflowState } from '../state.js';
import { dagNotFound, dagRunNotFound, detail } from './errors.js';
import { dagRunV2 } from './views.js';

const PREFIX = '/api/v2';
const RANGE_OPS = ['gte', 'gt', 'lte', 'lt'] as const;
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
    const query: RunQuery = {
      ranges: collectRanges((name) => body[name], batchFields, RANGE_OPS, 'body'),
      orderBy: orderBy([optionalString(body, 'order_by') ?? ''].filter((value) => value !== '')),
      offset: optionalInt(body, 'page_offset', 0) ?? 0,
      limit: Math.min(optionalInt(body, 'page_limit', 0) ?? 100, MAX_PAGE_LIMIT),
    };
    const dagIds = optionalStringList(body, 'dag_ids');
    const states = optionalStringList(body, 'states');
    if (dagIds) query.dagIds = dagIds;
    if (states) query.states = states;
    return collection(state, query);
  });

  add('GET', `${PREFIX}/dags/:dagId/dagRuns`, (req) => {
    const dagId = req.params.dagId ?? '';
    if (dagId !== '~' && !state.dags.has(dagId)) return dagNotFound(dagId);
    const query: RunQuery = {
      ranges: collectRanges((name) => req.query.get(name) ?? undefined, DATE_FIELDS, RANGE_OPS, 'query'),
      orderBy: orderBy(req.query.getAll('order_by')),
      offset: intParam(req.query, 'offset', 0, 0),
      limit: Math.min(intParam(req.query, 'limit', 50, 0), MAX_PAGE_LIMIT),
      states: req.query.getAll('state'),
    };
    if (dagId !== '~') query.dagIds = [dagId];
    return collection(state, query);
  });

  add('POST', `${PREFIX}/dags/:dagId/dagRuns`, (req) => trigger(state, req));

  add('GET', `${PREFIX}/dags/:dagId/dagRuns/:dagRunId`, (req) => {
    const run = state.find(req.params.dagId ?? '', req.params.dagRunId ?? '');
    return run ? { status: 200, body: dagRunV2(run) } : dagRunNotFound(req.params.dagId ?? '', req.params.dagRunId ?? '');
  });

  add('PATCH', `${PREFIX}/dags/:dagId/dagRuns/:dagRunId`, (req) => {
    const body = objectBody(req.body);
    rejectUnknownKeys(body, ['state', 'note']);
    const wanted = body.state;
    if (wanted !== undefined && wanted !== null && !STATES.includes(wanted as never)) {
      throw new InputError(['body', 'state'], "Input should be 'queued', 'success' or 'failed'", wanted, 'enum');
    }
    const note = optionalString(body, 'note');
    const run = state.find(req.params.dagId ?? '', req.params.dagRunId ?? '');
    if (!run) return dagRunNotFound(req.params.dagId ?? '', req.params.dagRunId ?? '');
    const mask = req.query.getAll('update_mask');
    if (mask.some((field) => field !== 'state' && field !== 'note')) return detail(400, `Invalid field in update mask: ${mask.join(', ')}`);
    if (typeof wanted === 'string' && (mask.length === 0 || mask.includes('state'))) state.setRunState(run, wanted as (typeof STATES)[number]);
    if (note !== undefined && (mask.length === 0 || mask.includes('note'))) run.note = note;
    return { status: 200, body: dagRunV2(run) };
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

function collection(state: AirflowState, query: RunQuery): SimResponse {
  const { page, total } = queryRuns(state.runs(), query);
  return { status: 200, body: { dag_runs: page.map(dagRunV2), total_entries: total } };
}
