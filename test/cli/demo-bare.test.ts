import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { systemClock } from '../../src/clock.js';
import { testRuntime } from './runtime.js';

describe('demo --bare', () => {
  it.each(['cloud', 'datacenter'])('on a new Jira %s: setup plans, applies, leaves nothing on a second run, doctor passes, then every ticket runs', async (jira) => {
    const runtime = testRuntime({}, { clock: systemClock });
    const code = await main(['demo', '--bare', '--jira', jira], runtime);
    const out = runtime.out();
    expect(code, out + runtime.err()).toBe(0);
    const order = ['setup jira (a plan)', 'setup jira --apply --write-config', 'the demo plays the admin', 'setup jira --apply, again', 'doctor --config', 'Seeded 13 tickets', 'All 13 tickets finished.'];
    const positions = order.map((text) => out.indexOf(text));
    expect(positions.every((position) => position >= 0), out).toBe(true);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    const counts = [...out.matchAll(/Sent (\d+) reads? and (\d+) writes? to Jira\./g)].map((match) => Number(match[2]));
    expect(counts).toEqual([0, jira === 'cloud' ? 22 : 14, 0]);
    expect(out).toContain('Jira has everything the reconciler needs.');
    expect(out).toMatch(/All \d+ checks passed\./);
  }, 150_000);
});
