import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { Metrics } from '../../src/observability/metrics.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** CONTRACT §5: every metric the daemon serves, with its type. */
const CONTRACT_METRICS = {
  reconciler_passes_total: 'counter',
  reconciler_pass_duration_seconds: 'histogram',
  reconciler_last_success_timestamp_seconds: 'gauge',
  reconciler_dag_runs_triggered_total: 'counter',
  reconciler_runs_finished_total: 'counter',
  reconciler_tickets_rejected_total: 'counter',
  reconciler_runs_in_flight: 'gauge',
  reconciler_upstream_requests_total: 'counter',
  reconciler_upstream_request_duration_seconds: 'histogram',
} as const;
const HISTOGRAM_SUFFIXES = ['_bucket', '_sum', '_count'];

/** Every metric the daemon serves (§5 and what §7's features add), read from its own registry. */
const SERVED = Object.fromEntries(
  (await new Metrics().registry.getMetricsAsJSON()).map((metric) => [metric.name, String(metric.type)]),
);

const KNOWN_SERIES = new Set(
  Object.entries(SERVED).flatMap(([name, type]) =>
    type === 'histogram' ? HISTOGRAM_SUFFIXES.map((suffix) => name + suffix) : [name],
  ),
);

// Words of PromQL that are not metric names when they stand alone (functions are told apart by
// the parenthesis that follows them).
const PROMQL_WORDS = new Set(['and', 'or', 'unless', 'offset', 'bool', 'by', 'without', 'on', 'ignoring', 'group_left', 'group_right']);

/** The metric names an expression selects: strings, label matchers, groupings and ranges removed. */
function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/label_values\(\s*([a-zA-Z_:][\w:]*)[^)]*\)/g, ' $1 ')
    .replace(/"(?:[^"\\]|\\.)*"/g, ' ')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ');
  return [...bare.matchAll(/(?<![\w$.])([a-zA-Z_:][\w:]*)(?![\w:])(?!\s*\()/g)]
    .map((m) => m[1]!)
    .filter((word) => !PROMQL_WORDS.has(word));
}

interface Rule {
  alert: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
const alerts = parse(readFileSync(`${root}config/prometheus/alerts.yml`, 'utf8')) as { groups: Array<{ rules: Rule[] }> };
const rules = alerts.groups.flatMap((group) => group.rules);

interface Panel {
  id: number;
  title?: string;
  gridPos: { x: number; y: number; w: number; h: number };
  targets?: Array<{ expr: string }>;
}
const dashboard = JSON.parse(readFileSync(`${root}config/grafana/dashboard.json`, 'utf8')) as {
  panels: Panel[];
  templating: { list: Array<{ name: string; query?: unknown; definition?: string }> };
};
const dashboardExprs = [
  ...dashboard.panels.flatMap((panel) => (panel.targets ?? []).map((target) => target.expr)),
  ...dashboard.templating.list.flatMap((variable) => (variable.definition ? [variable.definition] : [])),
];

describe('metricNames', () => {
  it('finds the selected series and nothing else', () => {
    expect(
      metricNames(
        'sum by (job, upstream) (rate(reconciler_upstream_requests_total{code=~"5..|error"}[10m])) / ' +
          'on (job) group_left scalar(up offset 6h) > bool 0.1 unless absent(foo:bar)',
      ),
    ).toEqual(['reconciler_upstream_requests_total', 'up', 'foo:bar']);
    expect(metricNames('label_values(reconciler_passes_total{job=~"$job"}, instance)')).toEqual(['reconciler_passes_total']);
    expect(metricNames('time() - max(reconciler_last_success_timestamp_seconds) > 3 * 30')).toEqual([
      'reconciler_last_success_timestamp_seconds',
    ]);
  });
});

describe('the daemon', () => {
  it('serves every metric of CONTRACT §5 with its type', () => {
    const served = Object.keys(CONTRACT_METRICS).map((name) => [name, SERVED[name]]);
    expect(Object.fromEntries(served)).toEqual(CONTRACT_METRICS);
  });
});

describe('alerts.yml', () => {
  it('uses only metrics the daemon serves', () => {
    const used = rules.flatMap((rule) => metricNames(rule.expr));
    expect(used.length).toBeGreaterThan(rules.length - 1);
    expect(used.filter((name) => !KNOWN_SERIES.has(name))).toEqual([]);
  });

  it('gives every alert a duration, a severity, a summary, a description and a runbook', () => {
    expect(rules.map((rule) => rule.alert).sort()).toEqual([
      'ReconcilerMetricsAbsent',
      'ReconcilerNoLeader',
      'ReconcilerNoRecentSuccess',
      'ReconcilerNotificationsGivenUp',
      'ReconcilerPassesFailing',
      'ReconcilerRunsStuck',
      'ReconcilerRunsStuckNoWatchdog',
      'ReconcilerTicketsRejected',
      'ReconcilerUpstreamErrors',
      'ReconcilerUpstreamThrottled',
    ]);
    for (const rule of rules) {
      expect(rule.for, rule.alert).toMatch(/^\d+[smh]$/);
      expect(['critical', 'warning', 'info'], rule.alert).toContain(rule.labels?.severity);
      expect(Object.keys(rule.annotations ?? {}).sort(), rule.alert).toEqual(['description', 'runbook', 'summary']);
    }
  });

  it('has a promtool test for every alert, firing and not firing', () => {
    const tests = parse(readFileSync(`${root}config/prometheus/alerts.test.yml`, 'utf8')) as {
      tests: Array<{ alert_rule_test: Array<{ alertname: string; exp_alerts: unknown[] }> }>;
    };
    const cases = tests.tests.flatMap((test) => test.alert_rule_test);
    for (const rule of rules) {
      const mine = cases.filter((c) => c.alertname === rule.alert);
      expect(mine.some((c) => c.exp_alerts.length > 0), `${rule.alert} firing`).toBe(true);
      expect(mine.some((c) => c.exp_alerts.length === 0), `${rule.alert} not firing`).toBe(true);
    }
  });
});

describe('dashboard.json', () => {
  it('uses only metrics the daemon serves, and shows each of them', () => {
    const used = dashboardExprs.flatMap(metricNames);
    expect(used.filter((name) => !KNOWN_SERIES.has(name))).toEqual([]);
    const shown = new Set(used.map((name) => name.replace(/_(bucket|sum|count)$/, '')));
    expect([...shown].sort()).toEqual(Object.keys(SERVED).sort());
  });

  it('gives every panel its own id and its own place on the grid', () => {
    const ids = dashboard.panels.map((panel) => panel.id);
    expect(new Set(ids).size).toBe(ids.length);
    const overlaps: string[] = [];
    for (const [i, a] of dashboard.panels.entries()) {
      for (const b of dashboard.panels.slice(i + 1)) {
        const apart =
          a.gridPos.x + a.gridPos.w <= b.gridPos.x ||
          b.gridPos.x + b.gridPos.w <= a.gridPos.x ||
          a.gridPos.y + a.gridPos.h <= b.gridPos.y ||
          b.gridPos.y + b.gridPos.h <= a.gridPos.y;
        if (!apart) overlaps.push(`${a.title} / ${b.title}`);
      }
      expect(a.gridPos.x + a.gridPos.w, a.title).toBeLessThanOrEqual(24);
    }
    expect(overlaps).toEqual([]);
  });

  it('queries the data source chosen in its DS_PROMETHEUS variable', () => {
    expect(dashboard.templating.list.map((variable) => variable.name)).toContain('DS_PROMETHEUS');
    const sources = dashboard.panels
      .filter((panel) => panel.targets)
      .map((panel) => (panel as { datasource?: { uid?: string } }).datasource?.uid);
    expect(new Set(sources)).toEqual(new Set(['${DS_PROMETHEUS}']));
  });
});

const contract = `${root}../shared/CONTRACT.md`;
describe.skipIf(!existsSync(contract))('the metric list above', () => {
  it('is the table of CONTRACT §5', () => {
    const section = readFileSync(contract, 'utf8').split(/^## 5\./m)[1]?.split(/^## /m)[0] ?? '';
    const rows = [...section.matchAll(/^\| `(reconciler_\w+)` \| (\w+) \|/gm)].map((m) => [m[1], m[2]]);
    expect(Object.fromEntries(rows)).toEqual(CONTRACT_METRICS);
  });
});
