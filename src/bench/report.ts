import { ratio, tallyDifferences, type Tally } from './counting.js';
import type { Percentiles } from './percentiles.js';
import type { BurstFigures, SteadyAfterBurst } from './scenarios/burst.js';
import type { LatencyFigures } from './scenarios/latency.js';
import type { LifecycleFigures } from './scenarios/lifecycle.js';
import type { MemoryFigures } from './scenarios/memory.js';
import type { RateLimitedFigures } from './scenarios/rate-limited.js';
import type { PassFigures, SteadyFigures } from './scenarios/steady.js';
import type { RoundTrips } from './statement-log.js';
import type { StateBackend } from './strategies.js';

export interface BenchResults {
  generatedAt: string;
  machine: { cpus: number; node: string; platform: string };
  latencyMs: number;
  concurrency: number;
  lifecycle: Array<{ tickets: number; product: LifecycleFigures; naive: LifecycleFigures | null }>;
  steady: Array<{ inFlight: number; product: SteadyFigures; naive: SteadyFigures | null }>;
  /** From the largest lifecycle run. */
  triggerThroughput: { tickets: number; product: LifecycleFigures['triggerThroughput']; naive: LifecycleFigures['triggerThroughput'] | null };
  memory: MemoryFigures | null;
  /** Against a Jira that enforces rate limits, per deployment; empty when skipped. */
  rateLimited: Array<{ product: RateLimitedFigures; naive: RateLimitedFigures | null }>;
  /** The daemon's steady passes after a burst of triggers, per deployment. */
  burst: BurstFigures[];
  /** Pickup and run-end latency and the idle request rate, per deployment and interval. */
  latency: LatencyFigures[];
  /** The backends the lifecycle and steady-pass runs were measured on. */
  states: StateBackend[];
  /** Why PostgreSQL was left out, and how to get its figures; null when it was not. */
  stateNote: string | null;
  /** The product's lifecycle and steady-pass runs with the state in PostgreSQL; null when not measured. */
  postgres: { lifecycle: LifecycleFigures[]; steady: SteadyFigures[] } | null;
}

type Row = [figure: string, product: string, naive: string, ratio: string];

/** The terminal table: one row per figure, product and naive side by side. */
export function renderTable(results: BenchResults): string {
  const rows: Row[] = [];
  for (const { tickets, product, naive } of results.lifecycle) {
    rows.push([
      `requests per ticket, lifecycle${product.kind === 'ends-between-passes' ? ' (runs end between passes)' : ' (runs seen running)'}, N = ${tickets.toLocaleString('en-US')}`,
      perTicketCell(product),
      naive ? perTicketCell(naive) : '-',
      ratioCell(naive?.perTicket.total, product.perTicket.total),
    ]);
  }
  for (const { inFlight, product, naive } of results.steady) {
    const n = inFlight.toLocaleString('en-US');
    rows.push([`steady pass, ${n} in flight: requests`, requestsCell(product.steady), naive ? requestsCell(naive.steady) : '-', ratioCell(naive?.steady.requests.total, product.steady.requests.total)]);
    rows.push([`steady pass, ${n} in flight: wall time`, seconds(product.steady.wallMs), naive ? seconds(naive.steady.wallMs, naive.steady.estimated) : '-', ratioCell(naive?.steady.wallMs, product.steady.wallMs)]);
    if (product.resync) rows.push([`full resync pass, ${n} in flight`, `${requestsCell(product.resync)}, ${seconds(product.resync.wallMs)}`, '-', '-']);
  }
  const t = results.triggerThroughput;
  // No lifecycle run (--sizes 0): no throughput to show.
  if (t.tickets > 0) rows.push([
    `trigger throughput, N = ${t.tickets.toLocaleString('en-US')} (tickets/s)`,
    String(t.product.perSecond),
    t.naive ? String(t.naive.perSecond) : '-',
    ratioCell(t.naive?.perSecond, t.product.perSecond),
  ]);
  for (const { product, naive } of results.rateLimited) rows.push(...rateLimitedRows(product, naive));
  for (const burst of results.burst) rows.push(...burstRows(burst));
  for (const figures of results.latency) rows.push(...latencyRows(figures));
  if (results.memory) {
    const m = results.memory;
    rows.push([`daemon idle RSS after ${m.tickets} tickets`, mib(m.idleRssMiB), '-', '-']);
    rows.push([`daemon idle RSS after ${m.tickets} tickets, after GC`, mib(m.idleRssAfterGcMiB), '-', '-']);
    rows.push(['daemon peak RSS', mib(m.peakRssMiB), '-', '-']);
  }
  const peaks = results.steady.map((s) => s.product.steadyPasses.concat(s.product.resync ?? []).reduce((max, p) => Math.max(max, p.peakRssMiB ?? 0), 0));
  results.steady.forEach((s, i) => rows.push([`reconcile peak RSS, ${s.inFlight.toLocaleString('en-US')} in flight`, mib(peaks[i] ?? null), '-', '-']));
  const header: Row = ['figure', 'product', 'naive', 'naive ÷ product'];
  const backends = results.postgres ? `\n${table([['figure', 'SQLite', 'PostgreSQL', 'Jira and Airflow requests'], ...backendRows(results)])}\n` : '';
  const note = results.stateNote ? `NOTE: ${results.stateNote}\n` : '';
  return `${table([header, ...rows])}\n${backends}${unfinished(results)}${note}${results.latencyMs} ms latency per request, concurrency ${results.concurrency}, ${results.machine.cpus} cores, Node ${results.machine.node}. ~ marks a naive figure extrapolated from a pass cut at its deadline.\n`;
}

/**
 * The product on both backends side by side: the same requests to Jira and Airflow (or where they
 * differ), and what PostgreSQL costs in round trips per pass and per ticket.
 */
export function backendRows(results: Pick<BenchResults, 'lifecycle' | 'steady' | 'postgres'>): Row[] {
  const rows: Row[] = [];
  for (const pg of results.postgres?.lifecycle ?? []) {
    const sqlite = results.lifecycle.find((l) => l.tickets === pg.tickets && l.product.kind === pg.kind)?.product ?? null;
    const what = `lifecycle${pg.kind === 'ends-between-passes' ? ' (runs end between passes)' : ' (runs seen running)'}, N = ${pg.tickets.toLocaleString('en-US')}`;
    rows.push([`${what}: requests per ticket`, sqlite ? perTicketCell(sqlite) : '-', perTicketCell(pg), sqlite ? sameRequests(sqlite.requests, pg.requests) + erred(sqlite.errors, pg.errors) : '-']);
    if (pg.database) {
      const perPass = pg.database.perPass.map((r) => r.total).join(', ');
      rows.push([`${what}: database round trips`, '-', `${pg.database.perTicket} per ticket (${pg.database.total.total} in ${pg.passes} passes: ${perPass}; lease ${pg.database.total.lease})`, '']);
    }
  }
  for (const pg of results.postgres?.steady ?? []) {
    const sqlite = results.steady.find((s) => s.inFlight === pg.inFlight)?.product ?? null;
    const what = `steady pass, ${pg.inFlight.toLocaleString('en-US')} in flight, nothing changed`;
    rows.push([
      `${what}: requests, wall time`,
      sqlite ? passCell(sqlite.steady) : '-',
      passCell(pg.steady),
      sqlite ? sameRequests(sqlite.steady.requests, pg.steady.requests) + erred(sqlite.steady.errors, pg.steady.errors) : '-',
    ]);
    rows.push([`${what}: database round trips`, '-', roundTripsCell(pg.steady.roundTrips, pg.inFlight), '']);
    if (pg.resync) {
      rows.push([
        `full resync pass, ${pg.inFlight.toLocaleString('en-US')} in flight: requests, wall time`,
        sqlite?.resync ? passCell(sqlite.resync) : '-',
        passCell(pg.resync),
        sqlite?.resync ? sameRequests(sqlite.resync.requests, pg.resync.requests) + erred(sqlite.resync.errors, pg.resync.errors) : '-',
      ]);
      rows.push([`full resync pass, ${pg.inFlight.toLocaleString('en-US')} in flight: database round trips`, '-', roundTripsCell(pg.resync.roundTrips, pg.inFlight), '']);
    }
  }
  return rows;
}

function sameRequests(sqlite: { jira: Tally; airflow: Tally }, pg: { jira: Tally; airflow: Tally }): string {
  const differ = [...tallyDifferences(sqlite.jira, pg.jira).map((d) => `Jira ${d}`), ...tallyDifferences(sqlite.airflow, pg.airflow).map((d) => `Airflow ${d}`)];
  return differ.length === 0 ? 'the same' : `DIFFER (SQLite vs PostgreSQL): ${differ.join('; ')}`;
}

/** Ticket errors explain requests that differ: a failed write is sent again by a later pass. */
function erred(sqlite: number, pg: number): string {
  return sqlite === 0 && pg === 0 ? '' : ` (ticket errors: SQLite ${sqlite}, PostgreSQL ${pg})`;
}

function passCell(pass: PassFigures): string {
  return `${requestsCell(pass)}, ${seconds(pass.wallMs)}`;
}

function roundTripsCell(trips: RoundTrips | null, tickets: number): string {
  if (trips === null) return 'n/a';
  const perTicket = Math.round((trips.total / tickets) * 1000) / 1000;
  return `${trips.total} per pass (state ${trips.state}, lease ${trips.lease}; ${trips.sessions} sessions), ${perTicket} per ticket`;
}

function burstRows(f: BurstFigures): Row[] {
  const where = `after ${f.tickets.toLocaleString('en-US')} triggers in ${f.burstSeconds} s (Jira ${f.deployment})`;
  const pass = (p: SteadyAfterBurst | null): string => (p ? `${p.total} (Jira ${p.jira.total}, Airflow ${p.airflow.total}), ${p.startsAfterSeconds} s after` : 'n/a');
  return [
    [`steady pass right after a burst, ${where}`, pass(f.rightAfter), '-', '-'],
    [`steady pass a minute after a burst, ${where}`, pass(f.minuteAfter), '-', '-'],
  ];
}

function latencyRows(f: LatencyFigures): Row[] {
  const where = `${f.intervalSeconds} s interval, Jira ${f.deployment}, ${f.finished} of ${f.tickets} tickets`;
  const spread = (p: Percentiles | null): string => (p ? `p50 ${p.p50} s, p95 ${p.p95} s` : 'n/a');
  return [
    [`pickup latency, Ready to Run → DAG run, ${where}`, spread(f.pickup), '-', '-'],
    [`run-end latency, run ended → ticket final, ${where}`, spread(f.runEnd), '-', '-'],
    [
      `idle requests a minute, ${f.intervalSeconds} s interval, Jira ${f.deployment}`,
      `${f.idle.jiraPerMinute + f.idle.airflowPerMinute} (Jira ${f.idle.jiraPerMinute}, Airflow ${f.idle.airflowPerMinute})`,
      '-',
      '-',
    ],
  ];
}

function rateLimitedRows(product: RateLimitedFigures, naive: RateLimitedFigures | null): Row[] {
  const where = `N = ${product.tickets.toLocaleString('en-US')}, ${product.writesPerSecond} writes/s per endpoint, Jira ${product.deployment}`;
  const pace = (f: RateLimitedFigures): string =>
    f.bottleneck ? `${percent(f.bottleneck.shareOfAllowedRate)} (${f.bottleneck.admitted} ${f.bottleneck.endpoint} in ${f.bottleneck.busySeconds} s)` : 'n/a';
  const limited = (f: RateLimitedFigures): string => `${percent(f.share429)} (${f.answered429} of ${f.jiraRequests})`;
  const finished = (f: RateLimitedFigures): string => `${f.finished} of ${f.tickets} in ${f.passes} passes, ${seconds(f.wallMs)}`;
  return [
    [`rate-limited Jira, ${where}: share of the allowed rate sustained`, pace(product), naive ? pace(naive) : '-', '-'],
    [`rate-limited Jira, ${where}: Jira requests answered 429`, limited(product), naive ? limited(naive) : '-', '-'],
    [`rate-limited Jira, ${where}: requests inside a Retry-After`, String(product.insideRetryAfter), naive ? String(naive.insideRetryAfter) : '-', '-'],
    [`rate-limited Jira, ${where}: tickets final`, finished(product), naive ? finished(naive) : '-', '-'],
  ];
}

function percent(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

/** A lifecycle that left tickets short of their final status counts fewer requests than it should: say so. */
function unfinished(results: BenchResults): string {
  return results.lifecycle
    .flatMap(({ product, naive }) => [product, ...(naive ? [naive] : [])])
    .filter((figures) => figures.finished < figures.tickets)
    .map((f) => `WARNING: ${f.strategy} left ${f.tickets - f.finished} of ${f.tickets} tickets short of their final status after ${f.passes} passes.\n`)
    .join('');
}

function perTicketCell(figures: LifecycleFigures): string {
  return `${figures.perTicket.total} (Jira ${figures.perTicket.jira}, Airflow ${figures.perTicket.airflow})`;
}

function requestsCell(pass: PassFigures): string {
  const jira = pass.requests.jira.total;
  const airflow = pass.requests.airflow.total;
  if (pass.estimated) return `~${pass.requests.total} (${jira + airflow} sent before the deadline)`;
  return `${pass.requests.total} (Jira ${jira}, Airflow ${airflow})`;
}

function seconds(ms: number, estimated = false): string {
  return `${estimated ? '~' : ''}${(ms / 1000).toFixed(2)} s`;
}

function mib(value: number | null): string {
  return value === null ? 'n/a (no /proc)' : `${value} MiB`;
}

function ratioCell(naive: number | undefined, product: number): string {
  if (naive === undefined) return '-';
  const r = ratio(naive, product);
  return r === null ? 'n/a' : `${r}×`;
}

/** Plain aligned columns, readable in a terminal and pasteable into Markdown. */
export function table(rows: readonly Row[]): string {
  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((row) => row[i]?.length ?? 0)));
  const line = (row: Row): string => `| ${row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  const [header, ...body] = rows;
  if (!header) return '';
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n');
}
