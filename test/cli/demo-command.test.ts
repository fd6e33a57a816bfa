import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { systemClock } from '../../src/clock.js';
import { testRuntime } from './runtime.js';

describe('demo', () => {
  it.each([
    ['v1', 'cloud'],
    ['v2', 'cloud'],
    ['v1', 'datacenter'],
  ])('runs the daemon against the simulators (Airflow %s, Jira %s) until every seeded ticket has finished, one after a retry', async (version, jira) => {
    const runtime = testRuntime({}, { clock: systemClock });
    const code = await main(['demo', '--airflow', version, '--jira', jira], runtime);
    const out = runtime.out();
    expect(code, out + runtime.err()).toBe(0);
    expect(out).toContain('All 13 tickets finished.');
    const rows = out.split('\n').filter((line) => /^SCR-\d+\s/.test(line) && line.includes('http'));
    expect(rows).toHaveLength(13);
    expect(rows.filter((row) => row.includes(' Completed '))).toHaveLength(10);
    expect(rows.find((row) => row.includes('fails once, retried'))).toContain('__a2');
    // One message per outcome (13) and one for the retry, printed as the local receiver got them.
    expect(out.match(/notification \(local webhook\):/g)).toHaveLength(14);
    // Each as a person reads it: the ticket, then the event, on one line; no Slack markup.
    const notices = out.split('\n').filter((line) => line.includes('notification (local webhook):'));
    for (const line of notices) expect(line).toMatch(/notification \(local webhook\): SCR-\d+ — (Succeeded|Failed|Rejected)\b[^*<>|]*$/);
    expect(notices.filter((line) => /— Succeeded: [\d,]+ items\.$/.test(line)).length).toBeGreaterThan(0);
    expect(rows.filter((row) => row.includes('Failed - Needs Investigation'))).toHaveLength(3);
    expect(rows.filter((row) => /\binvalid\b/.test(row))).toHaveLength(2);
  }, 120_000);
});
