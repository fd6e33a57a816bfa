import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { systemClock } from '../../src/clock.js';
import { testRuntime } from './runtime.js';

describe('demo', () => {
  it.each(['v1', 'v2'])('runs the daemon against the simulators (Airflow %s) until every seeded ticket has finished', async (version) => {
    const runtime = testRuntime({}, { clock: systemClock });
    const code = await main(['demo', '--airflow', version], runtime);
    const out = runtime.out();
    expect(code, out + runtime.err()).toBe(0);
    expect(out).toContain('All 12 tickets finished.');
    const rows = out.split('\n').filter((line) => /^SCR-\d+\s/.test(line) && line.includes('http'));
    expect(rows).toHaveLength(12);
    expect(rows.filter((row) => row.includes(' Completed '))).toHaveLength(9);
    expect(rows.filter((row) => row.includes('Failed - Needs Investigation'))).toHaveLength(3);
    expect(rows.filter((row) => /\binvalid\b/.test(row))).toHaveLength(2);
  }, 120_000);
});
