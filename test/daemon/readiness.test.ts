import { describe, expect, it } from 'vitest';
import { isReady, leadershipReadiness } from '../../src/daemon/readiness.js';

describe('isReady', () => {
  const now = new Date('2026-11-28T10:00:00Z');
  it.each([
    ['no pass has succeeded yet', null, false],
    ['the last success is fresh', new Date(now.getTime() - 10_000), true],
    ['exactly three intervals ago', new Date(now.getTime() - 90_000), true],
    ['more than three intervals ago', new Date(now.getTime() - 90_001), false],
  ])('%s', (_name, last, expected) => {
    expect(isReady(last, now, 30_000)).toBe(expected);
  });

  it('is not ready after a failed pass, however fresh the last success', () => {
    expect(isReady(new Date(now.getTime() - 1_000), now, 30_000, true)).toBe(false);
  });
});

describe('leadershipReadiness', () => {
  const leader = {
    epoch: 7,
    holder: 'host-a:4242:0badcafe',
    hostname: 'host-a',
    pid: 4242,
    command: 'daemon',
    acquiredAt: new Date('2026-11-28T09:00:00Z'),
    renewedAt: new Date('2026-11-28T09:59:55Z'),
    expiresAt: new Date('2026-11-28T10:00:10Z'),
    live: true,
  };
  const up = { databaseDown: false, databaseDownSince: null };

  it('names the leader to a standby, which is ready whatever its passes', () => {
    expect(leadershipReadiness({ role: 'standby', leader, ...up }, false)).toEqual({
      ready: true,
      detail: { role: 'standby', leader: { host: 'host-a', pid: 4242, since: '2026-11-28T09:00:00.000Z', epoch: 7 }, databaseDown: false },
    });
  });

  it('makes the leader ready by its passes, as a single daemon is', () => {
    expect(leadershipReadiness({ role: 'leader', leader, ...up }, true)).toMatchObject({ ready: true, detail: { role: 'leader' } });
    expect(leadershipReadiness({ role: 'leader', leader, ...up }, false).ready).toBe(false);
  });

  it('is not ready while the database does not answer, in either role', () => {
    const down = { databaseDown: true, databaseDownSince: new Date('2026-11-28T09:58:00Z') };
    for (const role of ['leader', 'standby'] as const) {
      expect(leadershipReadiness({ role, leader: null, ...down }, true)).toEqual({
        ready: false,
        detail: { role, leader: null, databaseDown: true, databaseDownSince: '2026-11-28T09:58:00.000Z' },
      });
    }
  });
});
