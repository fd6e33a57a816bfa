import { describe, expect, it } from 'vitest';
import { Metrics } from '../../src/observability/metrics.js';

describe('Metrics', () => {
  it('records upstream requests by upstream and code, with their duration', async () => {
    const metrics = new Metrics();
    metrics.request('jira', '200', 0.12);
    metrics.request('jira', '200', 0.08);
    metrics.request('airflow', 'error', 1.5);
    const text = await metrics.registry.metrics();
    expect(text).toContain('reconciler_upstream_requests_total{upstream="jira",code="200"} 2');
    expect(text).toContain('reconciler_upstream_requests_total{upstream="airflow",code="error"} 1');
    expect(text).toContain('reconciler_upstream_request_duration_seconds_count{upstream="jira"} 2');
  });

  it('sets in-flight to zero for sources with none', async () => {
    const metrics = new Metrics();
    metrics.setInFlight(new Map([['lafa', 2]]), ['alfabeta', 'quebec', 'lafa']);
    const text = await metrics.registry.metrics();
    expect(text).toContain('reconciler_runs_in_flight{source="lafa"} 2');
    expect(text).toContain('reconciler_runs_in_flight{source="alfabeta"} 0');
  });

  it('leaves out the default gauges that fail promtool lint, keeps the rest', async () => {
    const metrics = new Metrics({ processMetrics: true });
    const text = await metrics.registry.metrics();
    expect(text).not.toMatch(/^nodejs_active_\w+_total/m);
    expect(text).toContain('process_cpu_seconds_total');
    expect(text).toContain('nodejs_heap_size_used_bytes');
  });

  it('keeps registries apart: two instances never share a value', async () => {
    const a = new Metrics();
    const b = new Metrics();
    a.passes.inc({ result: 'success' });
    expect(await b.registry.metrics()).not.toContain('reconciler_passes_total{result="success"} 1');
  });

  it('says whether this process leads, and counts the times it took the lead', async () => {
    const metrics = new Metrics();
    expect(await metrics.registry.getSingleMetricAsString('reconciler_leader')).toContain('reconciler_leader 0');
    metrics.leading(true);
    metrics.leading(false);
    metrics.leading(true);
    expect(await metrics.registry.getSingleMetricAsString('reconciler_leader')).toContain('reconciler_leader 1');
    expect(await metrics.registry.getSingleMetricAsString('reconciler_leader_changes_total')).toContain('reconciler_leader_changes_total 2');
  });
});
