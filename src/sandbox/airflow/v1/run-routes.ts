import type { SimRequest, SimResponse } from '../../common/http.js';
import type { AddRoute } from '../routing.js';
import { formatV1 } from '../dates.js';
import { InputError, objectBody, optionalString, parseDate, RUN_ID_PATTERN } from '../input.js';
import { parseOrderBy, type RangeOp, type RunQuery } from '../query.js';
import { batchRunQuery, runListQuery, runPage, withRun } from '../run-reads.js';
import type { AirflowState } from '../state.js';
import { V1 } from './dialect.js';
import { badRequest, dagNotFound, problem } from './errors.js';
import { dagRunV1 } from './views.js';

const PREFIX = V1.prefix;
const RANGE_OPS: readonly RangeOp[] = ['gte', 'lte'];
const DATE_FIELDS = { execution_date: 'logical_date', start_date: 'start_date', end_date: 'end_date', updated_at: 'updated_at' } as const;
const BATCH_KEYS = ['dag_ids', 'states', 'page_limit', 'page_offset', 'order_by', ...['execution_date', 'start_date', 'end_date'].flatMap((f) => [`${f}_gte`, `${f}_lte`])];
const READ_ONLY = ['dag_id', 'state', 'start_date', 'end_date', 'external_trigger', 'run_type', 'last_scheduling_decision'];

export function addRunRoutesV1(add: AddRoute, state: AirflowState): void {
  add('POST', `${PREFIX}/dags/~/dagRuns/list`, (req) => {
    const body = objectBody(req.body);
    const unknown = Object.keys(body).find((key) => !BATCH_KEYS.includes(key));
    if (unknown !== undefined) throw new InputError(['body', unknown], 'Unknown field.', body[unknown]);
    const reading = { dateFields: DATE_FIELDS, ops: RANGE_OPS, orderBy: () => orderBy(optionalString(body, 'order_by') ?? undefined) };
    return runPage(state, batchRunQuery(body, reading, 1), V1);
  });

  add('GET', `${PREFIX}/dags/:dagId/dagRuns`, (req) => {
    const reading = { dateFields: DATE_FIELDS, ops: RANGE_OPS, orderBy: () => orderBy(req.query.get('order_by') ?? undefined) };
    return runPage(state, runListQuery(req, reading, V1.defaultLimit), V1);
  });

  add('POST', `${PREFIX}/dags/:dagId/dagRuns`, (req) => trigger(state, req));

  add('GET', `${PREFIX}/dags/:dagId/dagRuns/:dagRunId`, (req) => withRun(state, req, V1, (run) => ({ status: 200, body: dagRunV1(run) })));

  add('PATCH', `${PREFIX}/dags/:dagId/dagRuns/:dagRunId`, (req) =>
    withRun(state, req, V1, (run) => {
      const body = objectBody(req.body);
      const wanted = body.state;
      if (wanted !== 'success' && wanted !== 'failed' && wanted !== 'queued') {
        throw new InputError(['body', 'state'], 'Must be one of: success, failed, queued.', wanted);
      }
      state.setRunState(run, wanted);
      return { status: 200, body: dagRunV1(run) };
    }),
  );
}

function trigger(state: AirflowState, req: SimRequest): SimResponse {
  const dagId = req.params.dagId ?? '';
  if (!state.dags.has(dagId)) return dagNotFound(dagId);
  const body = objectBody(req.body);
  const readOnly = READ_ONLY.find((key) => key in body);
  if (readOnly !== undefined) throw new InputError(['body', readOnly], 'Unknown field.', body[readOnly]);
  const conf = body.conf ?? {};
  if (typeof conf !== 'object' || conf === null || Array.isArray(conf)) throw new InputError(['body', 'conf'], 'Not a valid mapping type.', conf);
  const logical = body.logical_date ?? body.execution_date;
  const logicalDate = logical === undefined || logical === null ? null : parseDate(logical, ['body', 'logical_date']);
  if (body.logical_date != null && body.execution_date != null && parseDate(body.execution_date, ['body', 'execution_date']) !== logicalDate) {
    return badRequest('logical_date conflicts with execution_date');
  }
  const now = state.now();
  const dagRunId = optionalString(body, 'dag_run_id') ?? `manual__${formatV1(logicalDate ?? now)}`;
  if (!RUN_ID_PATTERN.test(dagRunId)) {
    return badRequest(`The provided run ID '${dagRunId}' is invalid. It does not match either the configured pattern: '${RUN_ID_PATTERN.source}' or the built-in pattern: '${RUN_ID_PATTERN.source}'`);
  }
  if (logicalDate !== null && state.hasLogicalDate(dagId, logicalDate)) {
    return problem(409, 'DAGRun already exists', `DAGRun with DAG ID: '${dagId}' and DAGRun logical date: '${formatV1(logicalDate)}' already exists`);
  }
  const result = state.trigger(dagId, { dagRunId, conf: conf as Record<string, unknown>, logicalDate: logicalDate ?? now, note: optionalString(body, 'note') ?? null });
  if (result.kind === 'no_dag') return dagNotFound(dagId);
  if (result.kind === 'duplicate') return problem(409, 'DAGRun already exists', `DAGRun with DAG ID: '${dagId}' and DAGRun ID: '${dagRunId}' already exists`);
  return { status: 200, body: dagRunV1(result.run) };
}

function orderBy(value: string | undefined): RunQuery['orderBy'] {
  if (value === undefined || value === '') return [];
  const parsed = parseOrderBy([value]);
  if ('unknown' in parsed) throw new InputError(['order_by'], `Ordering with '${parsed.unknown}' is disallowed or the attribute does not exist on the model`, value);
  return parsed.ok;
}
