import { afterEach, describe, expect, it } from 'vitest';
import { IndexLag, lagSamples, OVERLAP_FLOOR_MS } from '../../src/reconcile/index-lag.js';
import { runPass } from '../../src/reconcile/pass.js';
import type { RunRecord } from '../../src/store/run-record.js';
import { passDeps, START, ticket, type PassHarness } from './fakes.js';

const CEILING = 5 * 60_000;
const T = START.getTime();

describe('IndexLag', () => {
  it('uses the configured overlap until a confirmation is seen', () => {
    expect(new IndexLag(CEILING).overlapMs(T)).toBe(CEILING);
  });

  it('shrinks to the floor once confirmations show the index caught up', () => {
    const lag = new IndexLag(CEILING);
    lag.observe({ kind: 'caught-up' }, T);
    expect(lag.overlapMs(T)).toBe(OVERLAP_FLOOR_MS);
  });

  it('keeps twice the longest lag seen within the window, capped by the configured overlap, then lets it go', () => {
    const lag = new IndexLag(CEILING);
    lag.observe({ kind: 'stale', atLeastMs: 40_000 }, T);
    lag.observe({ kind: 'caught-up' }, T + 1_000);
    expect(lag.overlapMs(T + 1_000)).toBe(80_000);
    lag.observe({ kind: 'stale', atLeastMs: 4 * 60_000 }, T + 2_000);
    expect(lag.overlapMs(T + 2_000)).toBe(CEILING);
    expect(lag.overlapMs(T + 2_000 + CEILING + 1)).toBe(OVERLAP_FLOOR_MS);
  });
});

describe('lagSamples', () => {
  const record = (overrides: Partial<RunRecord>): RunRecord =>
    ({
      jiraIssueKey: 'SCR-1',
      requestId: '10001',
      airflowDagRunId: 'run-1',
      jiraPhase: 'started',
      state: 'running',
      updatedAt: new Date(T - 20_000).toISOString(),
      ...overrides,
    }) as RunRecord;

  it('a re-read newer than the search is a lag of at least the time since that change', () => {
    const searched = new Map([['SCR-1', ticket('SCR-1', { updated: new Date(T - 60_000).toISOString() })]]);
    const reread = [ticket('SCR-1', { updated: new Date(T - 15_000).toISOString() })];
    expect(lagSamples(T, searched, reread, [])).toEqual([{ kind: 'stale', atLeastMs: 15_000 }]);
    expect(lagSamples(T, new Map([['SCR-1', reread[0]!]]), reread, [])).toEqual([{ kind: 'caught-up' }]);
  });

  it("a search without the run id the daemon wrote is the index behind its own write; with it, caught up", () => {
    const stale = new Map([['SCR-1', ticket('SCR-1', { airflowRunId: null })]]);
    expect(lagSamples(T, stale, [], [record({})])).toEqual([{ kind: 'stale', atLeastMs: 20_000 }]);
    const shown = new Map([['SCR-1', ticket('SCR-1', { airflowRunId: 'run-1' })]]);
    expect(lagSamples(T, shown, [], [record({})])).toEqual([{ kind: 'caught-up' }]);
    // Nothing written yet, or another request: no sample.
    expect(lagSamples(T, stale, [], [record({ jiraPhase: 'none' }), record({ requestId: '2' })])).toEqual([]);
  });
});

describe('the change feed after a burst of own writes', () => {
  let h: PassHarness | null = null;
  afterEach(() => {
    h?.cleanup();
    h = null;
  });

  /** 60 tickets triggered at once, then a pass every 30 s; how many tickets each search returned. */
  async function burst(withLag: boolean): Promise<number[]> {
    const h = await passDeps();
    try {
      return await burstOn(h, withLag);
    } finally {
      h.cleanup();
    }
  }

  async function burstOn(h: PassHarness, withLag: boolean): Promise<number[]> {
    const deps = { ...h.deps, ...(withLag ? { indexLag: new IndexLag(h.deps.config.jira.cursorOverlapMinutes * 60_000) } : {}) };
    const shown: number[] = [];
    const search = h.jira.searchReady.bind(h.jira);
    h.jira.searchReady = async (options) => {
      const found = await search(options);
      shown.push(found.length);
      return found;
    };
    h.jira.add(...Array.from({ length: 60 }, (_, n) => ticket(`SCR-${n + 1}`)));
    const first = await runPass(deps);
    expect(first.triggered).toBe(60);
    for (let pass = 0; pass < 4; pass++) {
      h.clock.advance(30_000);
      await runPass(deps);
    }
    return shown;
  }

  it('searches past its own writes once they are confirmed, where the fixed overlap pages through them for minutes', async () => {
    // The first pass's read-after-write confirmations show the index current: the overlap is the floor from then on.
    expect(await burst(true)).toEqual([60, 60, 60, 0, 0]);
    expect(await burst(false)).toEqual([60, 60, 60, 60, 60]);
  });

  it('keeps a wide overlap while the search shows its own writes late', async () => {
    const harness = await passDeps();
    h = harness;
    const indexLag = new IndexLag(harness.deps.config.jira.cursorOverlapMinutes * 60_000);
    const deps = { ...harness.deps, indexLag };
    harness.jira.add(ticket('SCR-1'));
    harness.jira.freezeSearch();
    await runPass(deps);
    harness.clock.advance(90_000);
    await runPass(deps);
    // The search still shows SCR-1 without the run id written 90 s ago: at least 90 s of lag, twice that covered.
    expect(indexLag.overlapMs(harness.clock.now().getTime())).toBe(180_000);
    harness.clock.advance(30_000);
    await runPass(deps);
    expect(harness.jira.searches.at(-1)?.updatedSince?.getTime()).toBe(T + 90_000 - 180_000);
  });
});
