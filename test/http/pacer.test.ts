import { describe, expect, it } from 'vitest';
import { NEAR_LIMIT_FACTOR, Pacer, THROTTLED_FACTOR } from '../../src/http/pacer.js';

/** Ten requests 100 ms apart: a measured rate of 10 a second. */
function measured(pacer: Pacer): number {
  let now = 0;
  for (let i = 0; i < 10; i++, now += 100) pacer.reserve(now);
  return now;
}

describe('the pacer', () => {
  it('starts no pace on 429s alone, however many: their Retry-After holds are the answer', () => {
    const pacer = new Pacer();
    let now = measured(pacer);
    for (let i = 0; i < 20; i++, now += 100) pacer.slowDown(now, now - 50, THROTTLED_FACTOR);
    expect(pacer.currentRate).toBeNull();
    expect(pacer.reserve(now)).toBe(now);
  });

  it('paces after a NearLimit, and a 429 then halves that pace', () => {
    const pacer = new Pacer();
    const now = measured(pacer);
    pacer.slowDown(now, now - 50, NEAR_LIMIT_FACTOR);
    const paced = pacer.currentRate;
    expect(paced).toBeCloseTo(8, 0);
    pacer.slowDown(now + 500, now + 400, THROTTLED_FACTOR);
    expect(pacer.currentRate).toBeCloseTo((paced ?? 0) / 2, 5);
  });

  it("a change feed's request goes ahead of the reserved ticket requests, which move back one slot", () => {
    const pacer = new Pacer();
    const now = measured(pacer);
    pacer.slowDown(now, now - 50, NEAR_LIMIT_FACTOR);
    const slot = 1000 / (pacer.currentRate ?? 1);
    const tickets = [pacer.reserve(now), pacer.reserve(now), pacer.reserve(now)];
    expect(tickets).toEqual([now, now + slot, now + 2 * slot]);
    expect(pacer.reserveFirst(now)).toBe(now);
    // The feed took a slot: the next ticket request starts one slot later than it would have, so the pace holds over time.
    expect(pacer.reserve(now)).toBeCloseTo(now + 4 * slot, 6);
  });

  it('a per-issue pacer, made on its first 429, paces at its fallback rate', () => {
    const pacer = new Pacer(1);
    pacer.slowDown(0, Number.POSITIVE_INFINITY, THROTTLED_FACTOR);
    expect(pacer.currentRate).toBeCloseTo(0.5, 5);
  });
});
